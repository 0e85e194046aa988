"""Parsing an appendix grid: header, sections, groups, codes, skipped rows and issues."""

import datetime

import pytest

from plans.appendix import AppendixError, Cell, Sheet, SheetRow, read_rows, read_sheets
from plans.appendix.parsing import (
    COORDINATORS,
    DEADLINE,
    DELIVERABLE,
    LEAD,
    NUMBER,
    TITLE,
    classify_header,
    find_task_sheet,
    locate_header,
    parse_appendix,
)
from tests.plans.test_appendix_reading import (
    docx_bytes,
    fill_table,
    with_cached_value,
    xlsx_bytes,
)

M = object()  # a continuation cell of a merged range
HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]


def grid(*rows):
    """An in-memory sheet; rows are lists of str, None, dates, M or Cell."""
    width = max(len(row) for row in rows)
    built = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in list(row) + [None] * (width - len(row)):
            if value is M:
                cells.append(Cell(merged=True))
            elif isinstance(value, Cell):
                cells.append(value)
            elif isinstance(value, datetime.date):
                cells.append(Cell(value.strftime("%d/%m/%Y"), value))
            else:
                cells.append(Cell(value or "", value))
        built.append(SheetRow(number, tuple(cells)))
    return Sheet("test", tuple(built), width)


def task(code, title="Nhiệm vụ", lead="Sở Nội vụ", deadline="Năm 2024"):
    return [code, title, lead, "", deadline, ""]


def codes(parsed):
    return [t.code for t in parsed.tasks]


# --- Header ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("STT", NUMBER),
        ("TT", NUMBER),
        ("Số TT", NUMBER),
        ("Nhiệm vụ", TITLE),
        ("Nội dung", TITLE),
        ("Nội dung nhiệm vụ", TITLE),
        ("Tên nhiệm vụ", TITLE),
        ("Đơn vị chủ trì", LEAD),
        ("Cơ quan chủ trì", LEAD),
        ("Chủ trì", LEAD),
        ("Đơn vị thực hiện", LEAD),
        ("Đơn vị phối hợp", COORDINATORS),
        ("Cơ quan phối hợp", COORDINATORS),
        ("Phối hợp", COORDINATORS),
        ("Thời gian hoàn thành", DEADLINE),
        ("Thời hạn", DEADLINE),
        ("Thời gian thực hiện", DEADLINE),
        ("Tiến độ", DEADLINE),
        ("Kết quả", DELIVERABLE),
        ("Sản phẩm", DELIVERABLE),
        ("Sản phẩm đầu ra", DELIVERABLE),
        ("Kết quả dự kiến", DELIVERABLE),
        ("Kết quả / Sản phẩm", DELIVERABLE),
        ("Ghi chú", "note"),
        ("Kinh phí", "note"),
        ("", None),
    ],
)
def test_header_labels(label, role):
    assert classify_header(label) == role


def test_header_found_below_title_rows():
    sheet = grid(["PHỤ LỤC"], ["DANH MỤC CÁC NHIỆM VỤ"], ["(Kèm theo Kế hoạch số 115/KH-UBND)"], [], HEADER)

    assert parse_appendix(grid(*sheet_rows(sheet), task("1"))).header_row == 5


def sheet_rows(sheet):
    return [[cell if cell.merged else cell.text for cell in row.cells] for row in sheet.rows]


def test_columns_in_any_order():
    sheet = grid(
        ["Thời hạn", "Cơ quan phối hợp", "Nội dung", "TT", "Chủ trì"],
        ["Quý II/2025", "Sở Tư pháp", "Rà soát", "1", "Sở Nội vụ"],
    )

    parsed = parse_appendix(sheet)

    t = parsed.tasks[0]
    assert (t.code, t.title, t.lead, t.coordinators, t.deadline_text) == (
        "1",
        "Rà soát",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Quý II/2025",
    )


def test_two_row_header_under_a_merged_label():
    sheet = grid(
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", M, "Thời gian"],
        [
            Cell("STT", filled_down=True),
            Cell("Nhiệm vụ", filled_down=True),
            "Chủ trì",
            "Phối hợp",
            Cell("Thời gian", filled_down=True),
        ],
        ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Năm 2024"],
    )

    assert locate_header(sheet).columns == {NUMBER: 0, TITLE: 1, LEAD: 2, COORDINATORS: 3, DEADLINE: 4}


def test_start_and_end_columns_under_a_merged_time_label():
    sheet = grid(
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", M],
        [None, None, None, "Bắt đầu", "Hoàn thành"],
        ["1", "Rà soát", "Sở Nội vụ", "01/2024", "Năm 2024"],
    )

    header = locate_header(sheet)

    assert header.columns[DEADLINE] == 4 and header.notes == ((3, "Thời gian Bắt đầu"),)


def test_extra_columns_become_notes():
    sheet = grid(HEADER + ["Ghi chú", "Kinh phí"], task("1") + ["Ưu tiên", "200 triệu"])

    assert parse_appendix(sheet).tasks[0].notes == "Ghi chú: Ưu tiên\nKinh phí: 200 triệu"


def test_no_header_is_an_error():
    with pytest.raises(AppendixError, match="Không tìm thấy dòng tiêu đề"):
        parse_appendix(grid(["Danh sách"], ["1", "Rà soát", "Sở Nội vụ"]))


def test_find_task_sheet_skips_the_targets_sheet():
    path = "plans/demo_data/appendix/dongnai-53-2024.xlsx"
    sheets = read_sheets(path, "dongnai-53-2024.xlsx")

    assert find_task_sheet(list(reversed(sheets))).name == "Nhiệm vụ"


# --- Sections, groups and codes --------------------------------------------------------------------


def test_roman_section_with_trailing_dot():
    parsed = parse_appendix(grid(HEADER, ["I.", "THỂ CHẾ", M, M, M, M], task("1."), task("2)")))

    assert codes(parsed) == ["I.1", "I.2"] and parsed.tasks[0].section_title == "THỂ CHẾ"


def test_section_title_beside_an_unmerged_numeral():
    parsed = parse_appendix(grid(HEADER, ["II", "DỮ LIỆU", None, None, None, None], task("1")))

    assert (parsed.sections[0].code, parsed.sections[0].title, codes(parsed)) == ("II", "DỮ LIỆU", ["II.1"])


def test_section_written_whole_in_the_number_cell():
    parsed = parse_appendix(grid(HEADER, ["III. AN TOÀN THÔNG TIN", M, M, M, M, M], task("1")))

    assert (parsed.tasks[0].code, parsed.tasks[0].section_title) == ("III.1", "AN TOÀN THÔNG TIN")


def test_section_row_with_agencies_is_itself_a_task():
    parsed = parse_appendix(
        grid(HEADER, ["VII", "TRUYỀN THÔNG", "Sở Thông tin và Truyền thông", "", "Thường xuyên"])
    )

    t = parsed.tasks[0]
    assert (t.code, t.section, t.section_title, t.title) == ("VII", "VII", "TRUYỀN THÔNG", "TRUYỀN THÔNG")


def test_group_row_heads_its_prefixed_items_and_ends_at_the_next_number():
    parsed = parse_appendix(
        grid(
            HEADER, task("4"), ["5", "Phát triển lực lượng", M, M, M, M], task("5.1"), task("5.2"), task("6")
        )
    )

    assert [(t.code, t.section) for t in parsed.tasks] == [("4", ""), ("5.1", "5"), ("5.2", "5"), ("6", "")]


def test_group_row_without_merge_is_recognised_by_its_children():
    parsed = parse_appendix(grid(HEADER, ["5", "Phát triển lực lượng"], task("5.1"), task("6")))

    assert codes(parsed) == ["5.1", "6"] and parsed.sections[0].code == "5"


def test_agency_groups_number_their_items_afresh():
    parsed = parse_appendix(
        grid(
            HEADER,
            ["7.1", "Công an tỉnh", M, M, M, M],
            task("1", lead="Công an tỉnh"),
            ["7.2", "Sở Y tế", M, M, M, M],
            task("1", lead="Sở Y tế"),
            task("2", lead="Sở Y tế"),
        )
    )

    assert [(t.code, t.section_title) for t in parsed.tasks] == [
        ("7.1.1", "Công an tỉnh"),
        ("7.2.1", "Sở Y tế"),
        ("7.2.2", "Sở Y tế"),
    ]


def test_agency_group_names_the_lead_when_the_lead_cell_is_empty():
    parsed = parse_appendix(grid(HEADER, ["7.3", "Sở Công Thương", M, M, M, M], task("1", lead="")))

    assert parsed.tasks[0].lead == "Sở Công Thương"
    assert [(i.row, i.level) for i in parsed.issues] == [(3, "warning")]


def test_letter_items_under_a_numbered_item():
    parsed = parse_appendix(
        grid(HEADER, ["I", "CHUNG", M, M, M, M], task("1"), task("a)"), task("b)"), task("2"))
    )

    assert codes(parsed) == ["I.1", "I.1.a", "I.1.b", "I.2"] and parsed.tasks[1].section == "I.1"


def test_item_numbered_inside_the_title_without_number_column():
    sheet = grid(["Nội dung", "Chủ trì", "Thời hạn"], ["1. Rà soát", "Sở Nội vụ", "Năm 2024"])

    t = parse_appendix(sheet).tasks[0]
    assert (t.code, t.title) == ("1", "Rà soát")


def test_unnumbered_task_gets_the_next_number_and_a_warning():
    parsed = parse_appendix(grid(HEADER, ["I", "CHUNG", M, M, M, M], task("1"), task(None)))

    assert codes(parsed)[1] == "I.2" and "tự đánh số I.2" in parsed.issues[0].message


def test_continuation_row_of_a_merged_item_adds_its_agencies():
    parsed = parse_appendix(
        grid(
            HEADER, task("1"), [Cell("1", filled_down=True), Cell("Nhiệm vụ", filled_down=True), "Sở Tư pháp"]
        )
    )

    assert len(parsed.tasks) == 1 and parsed.tasks[0].lead == "Sở Nội vụ\nSở Tư pháp"


def test_source_row_numbers_are_kept():
    parsed = parse_appendix(grid(["PHỤ LỤC"], HEADER, [], task("1"), task("2")))

    assert [t.row for t in parsed.tasks] == [4, 5]


# --- Skipped rows ----------------------------------------------------------------------------------


def test_repeated_header_row_is_skipped():
    assert codes(parse_appendix(grid(HEADER, task("1"), HEADER, task("2")))) == ["1", "2"]


def test_blank_rows_are_skipped():
    assert codes(parse_appendix(grid(HEADER, [], task("1"), [None, None], task("2")))) == ["1", "2"]


def test_column_number_row_is_skipped():
    assert codes(parse_appendix(grid(HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], task("1")))) == ["1"]


@pytest.mark.parametrize(
    "note", ["Ghi chú: số liệu tạm tính", "(1) Theo Quyết định 1690/QĐ-TTg", "* Không bắt buộc"]
)
def test_footnote_rows_are_skipped(note):
    parsed = parse_appendix(grid(HEADER, task("1"), [note, M, M, M, M, M]))

    assert codes(parsed) == ["1"] and parsed.issues == []


def test_rows_below_the_table_are_skipped():
    parsed = parse_appendix(grid(HEADER, task("1"), ["Nơi nhận:"], ["- Như trên;"], ["Lưu: VT"]))

    assert codes(parsed) == ["1"] and parsed.issues == []


# --- Issues ----------------------------------------------------------------------------------------


def issues_of(*rows):
    return [(i.row, i.level, i.message) for i in parse_appendix(grid(HEADER, *rows)).issues]


def test_missing_title_is_an_error():
    assert issues_of(["1", None, "Sở Nội vụ", "", "Năm 2024"]) == [(2, "error", "Thiếu nội dung nhiệm vụ.")]


def test_missing_lead_is_a_warning():
    assert issues_of(task("1", lead="")) == [(2, "warning", "Thiếu đơn vị chủ trì.")]


def test_missing_deadline_is_a_warning():
    assert issues_of(task("1", deadline="")) == [(2, "warning", "Thiếu thời gian hoàn thành.")]


def test_duplicate_code_is_a_warning():
    assert issues_of(task("1"), task("1")) == [(3, "warning", "Số thứ tự 1 trùng với dòng 2.")]


def test_table_without_tasks_is_an_error():
    assert [i.level for i in parse_appendix(grid(HEADER, ["I", "CHUNG"])).issues] == ["error"]


def test_missing_lead_column_is_reported_at_the_header():
    parsed = parse_appendix(grid(["STT", "Nhiệm vụ", "Thời hạn"], ["1", "Rà soát", "Năm 2024"]))

    assert (parsed.issues[0].row, parsed.issues[0].level) == (1, "warning")


# --- Generated files, end to end -------------------------------------------------------------------


@pytest.fixture
def reordered_xlsx(tmp_path):
    """Columns in another order, title rows, repeated header, blank and footnote rows, a formula with a
    cached value and a real date cell."""
    header = [
        "TT",
        "Tên nhiệm vụ",
        "Thời hạn",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Kết quả dự kiến",
        "Ghi chú",
    ]
    rows = [
        ["PHỤ LỤC"],
        ["(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2025 của UBND tỉnh)"],
        [],
        header,
        ["I", "THỂ CHẾ"],
        [
            "1",
            "Ban hành quy chế",
            datetime.datetime(2025, 3, 31),
            "Văn phòng UBND tỉnh",
            "Sở Tư pháp",
            "Quyết định",
        ],
        [],
        header,
        ["2", "Rà soát chế độ báo cáo", '="Quý "&"II/2025"', "Sở Nội vụ", "", "", "Ưu tiên"],
        ["Ghi chú: (*) các nhiệm vụ trọng tâm"],
    ]
    data = with_cached_value(
        xlsx_bytes(rows, merges=["A1:G1", "A2:G2", "B5:G5", "A10:G10"]), "C9", "Quý II/2025"
    )
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(data)
    return parse_appendix(read_rows(path, path.name))


def test_xlsx_variant_tasks(reordered_xlsx):
    assert [(t.row, t.code, t.section, t.title) for t in reordered_xlsx.tasks] == [
        (6, "I.1", "I", "Ban hành quy chế"),
        (9, "I.2", "I", "Rà soát chế độ báo cáo"),
    ]


def test_xlsx_variant_date_cell(reordered_xlsx):
    t = reordered_xlsx.tasks[0]

    assert (t.deadline_text, t.deadline_value) == ("31/03/2025", datetime.date(2025, 3, 31))


def test_xlsx_variant_formula_cached_value(reordered_xlsx):
    assert reordered_xlsx.tasks[1].deadline_text == "Quý II/2025"


def test_xlsx_variant_agencies_deliverable_and_notes(reordered_xlsx):
    first, second = reordered_xlsx.tasks

    assert (first.lead, first.coordinators, first.deliverable, second.notes) == (
        "Văn phòng UBND tỉnh",
        "Sở Tư pháp",
        "Quyết định",
        "Ghi chú: Ưu tiên",
    )


def test_xlsx_variant_has_no_issues(reordered_xlsx):
    assert reordered_xlsx.issues == []


@pytest.fixture
def merged_docx(tmp_path):
    """A Word table: two-row header, a section merged across, a lead merged down over two tasks."""

    def build(document):
        document.add_paragraph("PHỤ LỤC")
        table = document.add_table(rows=6, cols=6)
        table.cell(0, 2).merge(table.cell(0, 3))
        for col in (0, 1, 4, 5):
            table.cell(0, col).merge(table.cell(1, col))
        table.cell(2, 0).merge(table.cell(2, 5))
        table.cell(3, 2).merge(table.cell(4, 2))
        fill_table(
            table,
            [
                ["STT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", None, "Tiến độ", "Sản phẩm"],
                [None, None, "Chủ trì", "Phối hợp", None, None],
                ["I. NHÂN LỰC SỐ", None, None, None, None, None],
                ["1", "Tập huấn", "Sở Nội vụ", "Sở Tư pháp;\nSở Tài chính", "Quý III/2024", "Lớp tập huấn"],
                ["2", "Bồi dưỡng", None, "", "Hằng năm", ""],
                ["II", "TRUYỀN THÔNG", "Sở Văn hóa, Thể thao và Du lịch", "", "Thường xuyên", ""],
            ],
        )

    path = tmp_path / "phu-luc.docx"
    path.write_bytes(docx_bytes(build))
    return parse_appendix(read_rows(path, path.name))


def test_docx_variant_codes_and_sections(merged_docx):
    assert [(t.code, t.section, t.section_title) for t in merged_docx.tasks] == [
        ("I.1", "I", "NHÂN LỰC SỐ"),
        ("I.2", "I", "NHÂN LỰC SỐ"),
        ("II", "II", "TRUYỀN THÔNG"),
    ]


def test_docx_variant_vertical_merge_gives_both_tasks_the_lead(merged_docx):
    assert [t.lead for t in merged_docx.tasks[:2]] == ["Sở Nội vụ", "Sở Nội vụ"]


def test_docx_variant_two_row_header_separates_lead_and_coordinators(merged_docx):
    first = merged_docx.tasks[0]

    assert (first.coordinators, first.deadline_text, first.deliverable) == (
        "Sở Tư pháp;\nSở Tài chính",
        "Quý III/2024",
        "Lớp tập huấn",
    )


def test_item_numbers_up_to_four_digits():
    assert codes(parse_appendix(grid(HEADER, task("999"), task("1000")))) == ["999", "1000"]


def test_signature_block_ends_the_table():
    parsed = parse_appendix(grid(HEADER, task("1"), ["KT. CHỦ TỊCH"], ["PHÓ CHỦ TỊCH"], ["Huỳnh Minh Tuấn"]))

    assert codes(parsed) == ["1"] and parsed.issues == []
