"""Reading large appendices in the background: the row estimate that decides it, and the job."""

import datetime

import pytest
from django.core.files.base import ContentFile

from plans.importing import estimate_rows
from plans.jobs import read_appendix
from plans.models import AppendixImport, ImportStatus
from tests.plans.import_helpers import HEADER, docx_bytes, private_media, xlsx_bytes  # noqa: F401

ROWS = [HEADER] + [[str(n), f"Nhiệm vụ {n}", "Sở Nội vụ", "", "Năm 2024", ""] for n in range(1, 41)]


@pytest.mark.parametrize(
    "name, data",
    [
        ("a.xlsx", xlsx_bytes(ROWS, title_rows=())),
        ("a.docx", docx_bytes(ROWS)),
        ("a.csv", "\n".join(";".join(row) for row in ROWS).encode()),
    ],
)
def test_row_estimate_counts_the_table_rows(name, data):
    assert estimate_rows(data, name) == 41


@pytest.mark.django_db
@pytest.mark.usefixtures("private_media")
def test_a_job_delivered_twice_reads_the_file_once(plan, lead_agency):
    record = AppendixImport.objects.create(
        province=plan.province,
        plan=plan,
        reference_date=datetime.date(2024, 4, 8),
        original_name="a.xlsx",
        file=ContentFile(xlsx_bytes(ROWS), name="a.xlsx"),
    )

    read_appendix(record.pk)
    AppendixImport.objects.filter(pk=record.pk).update(preview={})
    read_appendix(record.pk)

    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED and record.preview == {}
    assert (record.rows_done, record.rows_total) == (43, 43)
