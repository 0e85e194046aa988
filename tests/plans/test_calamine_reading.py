"""python-calamine reads plain .xlsx workbooks (``plans.appendix.xlsx``): it must give the very sheets
the stream reader gives (texts, typed values and dates, merged and filled-down cells, cleaned rows),
and leave every other workbook, the hostile ones first, to the stream reader with its limits."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest

from plans.appendix import AppendixError
from plans.appendix import xlsx as xlsx_reader
from plans.appendix.sheet import Budget, Limits
from plans.appendix.zipxml import open_zip
from tests.plans.hostile_files import corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted({*ROOT.glob("plans/demo_data/**/*.xlsx"), *ROOT.glob("tests/plans/**/*.xlsx")})


def read(data, engine, **limits):
    """The sheets, or the message of the refusal, as ``engine`` reads them."""
    limits = Limits(**limits)
    try:
        return xlsx_reader.read_xlsx(open_zip(data, limits), limits, Budget(limits), engine=engine)
    except AppendixError as error:
        return error.message
    except Exception as error:  # noqa: BLE001 - any other error: read_sheets says the file is damaged
        return f"bị hỏng: {type(error).__name__}"


def plan_of(data, limits=None):
    """What ``_calamine_plan`` says of the workbook (None: read as a stream)."""
    limits = limits or Limits()
    archive, budget = open_zip(data, limits), Budget(limits)
    parts = xlsx_reader._relationships(archive, "xl/_rels/workbook.xml.rels", "xl", budget)
    _epoch, sheets = xlsx_reader._workbook(archive, budget)
    styles = xlsx_reader._styles(archive, xlsx_reader._part(parts, "styles"), budget)
    targets = [(name, parts[relation][1]) for name, relation in sheets if relation in parts]
    return xlsx_reader._calamine_plan(
        archive, targets, xlsx_reader._part(parts, "sharedStrings"), styles, limits, budget
    )


def workbook_bytes(fill, date1904=False):
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if date1904 else workbook.epoch
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_there_are_fixtures():
    assert len(FIXTURES) >= 5


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_calamine_reads_every_fixture_as_the_stream_reader(path):
    data = path.read_bytes()
    assert plan_of(data) is not None  # read by calamine by default
    by_calamine, by_stream = read(data, "calamine"), read(data, "stream")
    assert by_calamine == by_stream
    assert read(data, None) == by_stream
    cells = [cell for sheet in by_stream for row in sheet.rows for cell in row.cells]
    assert any(cell.merged or cell.filled_down for cell in cells)


def _typed(workbook):
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet["C3"] = "PHỤ LỤC  \n (Kèm theo Kế hoạch)"
    sheet.append([])
    sheet.append(["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn", "Số", "Tỉ lệ"])
    sheet.append([1, "Rà soát\u200b quy chế", "Sở Nội vụ", datetime.date(2024, 6, 30), 12.5, True])
    sheet.append([2, "Tập huấn", "Sở Tài chính", datetime.datetime(2025, 1, 31, 0, 0), 10**15, False])
    sheet.append(["II", "NHÓM HAI"])
    sheet.append(["1", "Hoa\u0301 đơn", "Sở Nội vụ\nSở Y tế", datetime.date(1999, 12, 31), -3, None])
    for row in sheet.iter_rows(min_row=6, min_col=4, max_col=4):
        row[0].number_format = "DD/MM/YYYY"
    sheet.merge_cells("C3:F3")
    sheet.merge_cells("C6:C7")
    sheet.merge_cells("B8:F8")
    other = workbook.create_sheet("Khác")
    other["B2"] = datetime.date(2026, 2, 28)
    other["B2"].number_format = "d-mmm-yy"
    workbook.create_sheet("Trống")


@pytest.mark.parametrize("date1904", [False, True])
def test_values_dates_and_merges_are_those_of_the_stream_reader(date1904):
    data = workbook_bytes(_typed, date1904)
    assert plan_of(data) is not None
    sheets = read(data, "calamine")
    assert sheets == read(data, "stream")
    table = sheets[0]
    assert table.rows[5].cells[3].value == datetime.date(2024, 6, 30)
    assert table.rows[5].cells[3].text == "30/06/2024"
    assert table.rows[6].cells[2].filled_down
    assert [cell.merged for cell in table.rows[7].cells[2:]] == [True] * 4
    assert table.cleaned_rows == (6,)
    assert sheets[1].rows[1].cells[1].value == datetime.date(2026, 2, 28)
    assert sheets[2].is_empty


def _percent(workbook):
    workbook.active["A1"] = "Tỉ lệ"
    workbook.active["A2"] = 0.25
    workbook.active["A2"].number_format = "0%"


def _time_of_day(workbook):
    workbook.active["A1"] = datetime.time(7, 30)
    workbook.active["A1"].number_format = "h:mm"


def _prefixed_and_unknown(workbook):
    workbook.active["A1"] = "x"
    workbook.active.sheet_properties.tabColor = "1072BA"
    workbook.active.conditional_formatting.add(
        "A1", openpyxl.formatting.rule.CellIsRule(operator="equal", formula=['"x"'])
    )


@pytest.mark.parametrize("fill", [_percent, _time_of_day], ids=["percent", "time-of-day"])
def test_formats_calamine_reads_otherwise_go_to_the_stream_reader(fill):
    data = workbook_bytes(fill)
    assert plan_of(data) is None
    assert read(data, None) == read(data, "stream")
    assert read(data, "calamine") == "bị hỏng: ValueError"  # not one calamine reads


def test_sheet_extensions_that_are_known_stay_with_calamine():
    data = workbook_bytes(_prefixed_and_unknown)
    assert plan_of(data) is not None
    assert read(data, None) == read(data, "stream")


def test_the_extent_is_checked_before_calamine_builds_the_sheet():
    def tall(workbook):
        for row in range(1, 31):
            workbook.active.cell(row, 2, f"dòng {row}")

    data = workbook_bytes(tall)
    fitting = Limits(max_rows=30, max_columns=2, max_cells=60)
    assert plan_of(data, fitting) == [("Sheet", "xl/worksheets/sheet1.xml", 30, 2)]
    assert plan_of(data, Limits(max_rows=29)) is None
    assert plan_of(data, Limits(max_columns=1)) is None
    assert plan_of(data, Limits(max_cells=59)) is None  # the rectangle calamine fills, empty cells too
    assert "quá nhiều dòng" in read(data, None, max_rows=29)


HOSTILE_XLSX = sorted(name for name in corpus() if name.endswith(".xlsx"))


@pytest.mark.parametrize("name", HOSTILE_XLSX)
def test_hostile_workbooks_end_as_with_the_stream_reader(name):
    item = corpus()[name]
    expected = read(item.data, "stream")
    assert read(item.data, None) == expected
    if item.refused:
        assert item.refused in expected
