"""Builders of appendix files and fixtures shared by the import tests."""

import io

import pytest

from agencies.models import Agency, AgencyAlias
from plans.models import AppendixImport, Plan, PlanSection
from tasks.models import Occurrence, Task, TaskAssignment, TaskUpdate

HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
WRITTEN_MODELS = (Plan, PlanSection, Task, TaskAssignment, TaskUpdate, Occurrence, Agency, AgencyAlias)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_jobs(settings):
    """Celery jobs run in the test's process, at once (Celery reads these settings when it needs them)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.CELERY_RESULT_BACKEND = "cache+memory://"


def table_counts(*extra_models):
    return {model.__name__: model.objects.count() for model in (*WRITTEN_MODELS, *extra_models)}


def import_counts():
    return table_counts(AppendixImport)


def xlsx_bytes(rows, merges=(), title_rows=("PHỤ LỤC", "(Kèm theo Kế hoạch số 1/KH-UBND)")):
    """An .xlsx appendix: title rows, then ``rows`` (header included); merges as "A5:F5" ranges."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(rows, merges=(), vertical=()):
    """A .docx with a title paragraph and one table of ``rows``; ``merges`` joins cells across
    ((row, first col, last col), 0-based), ``vertical`` down ((first row, last row, col))."""
    import docx

    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = str(value)
    for r, first, last in merges:
        table.cell(r, first).merge(table.cell(r, last))
    for first, last, c in vertical:
        top = table.cell(first, c)
        text = top.text
        merged = top.merge(table.cell(last, c))
        merged.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bad_files():
    """(file name, content, words of the expected message) of files no import may accept."""
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(30):
                entry.write(b"\0" * (1024 * 1024))
    encrypted = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    good = xlsx_bytes([HEADER, ["1", "Rà soát", "Sở Nội vụ", "", "Năm 2024", ""]])
    return {
        "wrong extension": ("phu-luc.txt", b"STT;Nhiem vu\n", "không được hỗ trợ"),
        "spoofed extension": ("phu-luc.xlsx", "STT;Nhiệm vụ\n1;Rà soát\n".encode(), "không phải định dạng"),
        "corrupt file": ("phu-luc.xlsx", good[:400], "hỏng"),
        "password protected": ("phu-luc.xlsx", encrypted, "mật khẩu"),
        "no header": ("phu-luc.xlsx", xlsx_bytes([["a", "b"], ["c", "d"]]), "Không tìm thấy dòng tiêu đề"),
        "empty sheet": ("phu-luc.xlsx", xlsx_bytes([], title_rows=()), "không có dữ liệu"),
        "header without tasks": ("phu-luc.xlsx", xlsx_bytes([HEADER]), "Không tìm thấy nhiệm vụ nào"),
        "zip bomb": ("phu-luc.xlsx", bomb.getvalue(), "giải nén bất thường"),
        "empty csv": ("phu-luc.csv", b"", "rỗng"),
    }


@pytest.fixture
def dong_thap():
    """Đồng Tháp with its demo agency catalogue (no plans)."""
    from plans.demo import _load_province

    return _load_province("dong-thap", "Đồng Tháp")


def run_command(*args):
    """``import_appendix`` with ``args``; its standard output."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_appendix", *map(str, args), stdout=out)
    return out.getvalue()
