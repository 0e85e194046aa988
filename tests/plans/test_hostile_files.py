"""Hostile files (``hostile_files.corpus``): each one refused with a message naming what it passed, or
read correctly, and nothing written but the import's own row. Memory and time are the benchmark's
(``bench/hostile_files.py``), not asserted here."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.urls import reverse

from plans.appendix import AppendixError, read_rows
from plans.models import AppendixImport, ImportStatus
from tests.factories import AgencyFactory
from tests.plans.hostile_files import HEADER, MARKS, corpus, preview, xlsx
from tests.plans.import_helpers import dong_thap, eager_jobs, private_media, run_command, table_counts  # noqa: F401

NAMES = sorted(corpus())


def stored_files():
    media = Path(settings.MEDIA_ROOT)
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_is_refused_with_its_limit_or_read(name):
    item = corpus()[name]

    if item.refused:
        with pytest.raises(AppendixError) as caught:
            preview(item.data, item.name)
        assert item.refused in caught.value.message
    else:
        assert len(preview(item.data, item.name)["tasks"]) == item.tasks


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_jobs", "private_media")
@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_through_the_upload(
    client, province_admin, plan, name, django_capture_on_commit_callbacks
):
    AgencyFactory(province=plan.province, name="Sở Nội vụ")
    AgencyFactory(province=plan.province, name="Sở Tài chính")
    item = corpus()[name]
    client.force_login(province_admin)
    before = table_counts()

    with django_capture_on_commit_callbacks(execute=True):
        upload = SimpleUploadedFile(item.name, item.data)
        response = client.post(reverse("plans:import_upload"), {"plan": plan.pk, "file": upload})
    page = client.get(response.url) if response.status_code == 302 else response

    assert table_counts() == before
    record = AppendixImport.objects.first()
    if item.refused:
        assert item.refused in page.text
        # Refused by the form (nothing stored), or by the background job (failed, its file removed).
        assert record is None or (record.status, record.file.name) == (ImportStatus.FAILED, "")
        assert stored_files() == []
    else:
        assert (record.status, len(record.preview["tasks"])) == (ImportStatus.PREVIEWED, item.tasks)


@pytest.mark.django_db
@pytest.mark.usefixtures("dong_thap", "private_media")
@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_through_the_command(tmp_path, name):
    item = corpus()[name]
    path = tmp_path / item.name
    path.write_bytes(item.data)
    before = table_counts(AppendixImport)

    if item.refused:
        with pytest.raises(CommandError, match=item.refused):
            run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")
        assert table_counts(AppendixImport) == before
        assert stored_files() == []
    else:
        run_command(path, "--province", "dong-thap", "--title", "Kế hoạch")
        assert AppendixImport.objects.get().result["created"] == item.tasks


# --- What the corpus relies on ------------------------------------------------------------------------


def test_merges_reaching_the_end_of_the_sheet_cost_what_the_table_costs():
    sheet = read_rows(corpus()["merge-beside-and-below.xlsx"].data, "a.xlsx")

    assert (len(sheet.rows), sheet.width) == (6, 6)


def test_invisible_characters_are_removed_and_their_rows_noted():
    sheet = read_rows(corpus()["hidden-characters.xlsx"].data, "a.xlsx")

    texts = [cell.text for row in sheet.rows for cell in row.cells]
    assert "Rà soát quy chế" in texts and "Sở Tài chính" in texts
    assert not any(mark in text for text in texts for mark in MARKS + "\x00\x07")
    assert sheet.cleaned_rows == (5, 6)


@pytest.mark.parametrize(
    "limit, value, words",
    [
        ("max_cells", 5, "tối đa 5 ô"),
        ("max_merged_cells", 3, "tối đa 3 ô"),
        ("max_columns", 4, "tối đa 4 cột"),
        ("max_unpacked_bytes", 1000, "tối đa 0,000954 MB"),
        ("max_elements", 10, "tối đa 10 thẻ"),
    ],
)
def test_each_limit_is_a_parameter_named_in_its_message(limit, value, words):
    data = xlsx(rows=[HEADER, ["1", "Rà soát", "Sở Nội vụ"]], merges=["C2:F2"])

    with pytest.raises(AppendixError, match=words):
        read_rows(data, "a.xlsx", **{limit: value})
