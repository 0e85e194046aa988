"""A PDF export as the conversion job leaves it (its files written under MEDIA_ROOT: give the test a
private one)."""

import factory

from reports.models import PdfExport
from tests.factories import UserFactory


class PdfExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PdfExport

    requested_by = factory.SubFactory(UserFactory)
    name = "bao-cao-115-KH-UBND-2025"
    status = PdfExport.Status.READY
    source = factory.django.FileField(filename="bao-cao.docx", data=b"PK\x03\x04 a .docx")
    pdf = factory.django.FileField(filename="bao-cao.pdf", data=b"%PDF-1.7 converted")
