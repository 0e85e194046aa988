"""Uploads past the largest size any form accepts are not stored beyond it, and are refused with the
form's own message."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import AppendixImport
from tasks.models import Evidence
from tests.tasks.factories import PDF_BYTES, pdf, report_data

LIMIT = 64 * 1024


@pytest.fixture
def small_limits(settings):
    settings.APPENDIX_MAX_BYTES = settings.APPENDIX_MAX_DOCUMENT_BYTES = settings.EVIDENCE_MAX_BYTES = LIMIT


def _parse(rf, size):
    """A multipart request carrying ``size`` bytes, parsed by Django with the portal's handlers;
    returns the file the form gets, and the bytes the handler storing files wrote to disk."""
    request = rf.post("/", {"file": SimpleUploadedFile("lon.pdf", b"x" * size)})
    upload = request.FILES["file"]
    storing = request.upload_handlers[-1]
    return upload, os.path.getsize(storing.file.temporary_file_path())


@pytest.fixture
def on_disk(settings):
    """Files go to disk from the first byte, as large uploads do."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0


def test_an_oversized_file_is_not_stored_past_the_limit(rf, small_limits, on_disk):
    upload, written = _parse(rf, 10 * LIMIT)

    assert (upload.size, upload.read(), written <= LIMIT) == (10 * LIMIT, b"", True)


def test_a_file_within_the_limit_is_stored_whole(rf, small_limits, on_disk):
    upload, written = _parse(rf, LIMIT)

    assert (upload.size, written) == (LIMIT, LIMIT)


@pytest.mark.django_db
def test_oversized_evidence_is_refused_with_the_size_allowed(client, small_limits, lead_focal_point, task):
    client.force_login(lead_focal_point)
    oversized = pdf(content=PDF_BYTES + b"0" * 2 * LIMIT)

    response = client.post(reverse("tasks:report", args=[task.pk]), report_data(task, ("", oversized)))

    assert "Tệp vượt quá dung lượng cho phép (64,0\xa0KB)" in response.text
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_an_oversized_appendix_is_refused_and_nothing_is_written(client, small_limits, province_admin, plan):
    client.force_login(province_admin)
    oversized = SimpleUploadedFile("phu-luc.xlsx", b"x" * 2 * LIMIT)

    response = client.post(reverse("plans:import_upload"), {"file": oversized, "plan": plan.pk})

    assert "Tệp vượt quá dung lượng cho phép (0,0625 MB)" in response.text
    assert not AppendixImport.objects.exists()
