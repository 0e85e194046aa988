"""Appendix table layouts of the 2026 provincial plans (issue 13, point 5).

Each layout is written as a real .xlsx (merged cells included) and read back through ``read_rows``
before it is parsed, as an upload would be; the smaller points are checked on in-memory grids.
"""

import datetime

import pytest

from plans.appendix import Cell, read_rows
from plans.appendix.parsing import (
    COORDINATORS,
    DEADLINE,
    DELIVERABLE,
    DETAIL,
    DURATION,
    LEAD,
    NOTE,
    NUMBER,
    TITLE,
    classify_header,
    locate_header,
    parse_appendix,
)
from tests.plans.test_appendix_parsing import HEADER, M, codes, grid, task
from tests.plans.test_appendix_reading import xlsx_bytes


def parse_xlsx(rows, merges=()):
    return parse_appendix(read_rows(xlsx_bytes(rows, merges=merges), "x.xlsx"))


def messages(parsed):
    return [(issue.row, issue.message) for issue in parsed.issues]


# --- 1. "Stt" over "TT" | "Chi tiết": groups with lettered items -------------------------------------

TWO_LEVEL_HEADER = [
    ["Stt", None, "Nội dung hoạt động", "Sở, ngành chủ trì tham mưu", "Đơn vị phối hợp thực hiện",
     "Sản phẩm đầu ra", "Thời gian thực hiện/ hoàn thành", "Ghi chú"],
    ["TT", "Chi tiết", None, None, None, None, None, None],
]
TWO_LEVEL_HEADER_MERGES = ["A5:B5", "C5:C6", "D5:D6", "E5:E6", "F5:F6", "G5:G6", "H5:H6"]
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h"]  # Vietnamese order: no f


def two_level_rows(header_again_before=None):
    """Rows of a 2026 plan numbered "TT" (running) and "Chi tiết" (group number, then a), b), …).
    A group row's coordinators, product and deadline are merged down over its items. The header is
    repeated (as after a page break) before item ``header_again_before``."""
    rows = [
        ["PHỤ LỤC"],
        ["DANH MỤC NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH CHUYỂN ĐỔI SỐ NĂM 2026"],
        ["(Kèm theo Kế hoạch số 25/KH-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh)"],
        [],
        *TWO_LEVEL_HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
    ]
    merges = ["A1:H1", "A2:H2", "A3:H3", *TWO_LEVEL_HEADER_MERGES]
    serial = 0

    def group(number, title, items, coordinators, product, deadline):
        nonlocal serial
        first = len(rows) + 1
        rows.append([None, number, title, None, coordinators, product, deadline, None])
        for letter, (item, lead) in zip(LETTERS, items, strict=False):
            serial += 1
            rows.append([serial, f"{letter})", item, lead, None, None, None, None])
        last = len(rows)
        merges.extend(f"{col}{first}:{col}{last}" for col in "EFG")

    def alone(number, title, lead, deadline, note=None):
        nonlocal serial
        serial += 1
        if number == header_again_before:
            top = len(rows) + 1
            rows.extend(row[:] for row in TWO_LEVEL_HEADER)
            merges.extend([f"A{top}:B{top}", *(f"{col}{top}:{col}{top + 1}" for col in "CDEFGH")])
        rows.append([serial, number, title, lead, "Các sở, ban, ngành", "Báo cáo", deadline, note])

    group(
        "1", "Tuyên truyền về chuyển đổi số",
        [
            ("Tổ chức hội nghị quán triệt", "Sở Khoa học và Công nghệ"),
            ("Phát sóng chuyên mục", "Báo và Phát thanh, Truyền hình tỉnh"),
        ],
        "Sở Văn hóa, Thể thao và Du lịch", "Tin, bài, phóng sự", "Quý I/2026",
    )
    group(
        "2", "Phát triển hạ tầng số",
        [(f"Hạng mục {letter}", "Sở Khoa học và Công nghệ") for letter in LETTERS],
        "Viễn thông tỉnh", "Hạ tầng được nâng cấp", datetime.datetime(2026, 6, 30),
    )
    alone("3", "Xây dựng kho dữ liệu dùng chung", "Sở Khoa học và Công nghệ", "Tháng 9/2026", "Ưu tiên")
    alone("4", "Đánh giá mức độ chuyển đổi số cấp xã", "Sở Nội vụ", "Tháng 12/2026")
    group(
        "5", "Đào tạo nhân lực số",
        [
            ("Bồi dưỡng cán bộ chuyên trách", "Sở Nội vụ"),
            ("Tập huấn kỹ năng số cho người dân", "Đoàn Thanh niên"),
        ],
        "UBND các xã, phường", "Lớp tập huấn", "Năm 2026",
    )
    alone("6", "Bảo đảm an toàn thông tin", "Công an tỉnh", "Thường xuyên")
    alone("7", "Phát triển kinh tế số", "Sở Công Thương", "Năm 2026")
    alone("8", "Sơ kết, đánh giá kết quả thực hiện", "Sở Khoa học và Công nghệ", "Tháng 12/2026")
    rows.append(["Ghi chú: Thời gian hoàn thành là thời hạn gửi sản phẩm về Sở Khoa học và Công nghệ."])
    merges.append(f"A{len(rows)}:H{len(rows)}")
    rows.append(["1. Các nhiệm vụ thường xuyên báo cáo hằng quý."])
    merges.append(f"A{len(rows)}:H{len(rows)}")
    return rows, merges


@pytest.fixture(scope="module")
def two_level():
    rows, merges = two_level_rows()
    return parse_xlsx(rows, merges)


def test_two_level_header_columns(two_level):
    assert two_level.header_row == 5
    assert two_level.columns == {
        NUMBER: 0, DETAIL: 1, TITLE: 2, LEAD: 3, COORDINATORS: 4, DELIVERABLE: 5, DEADLINE: 6,
    }


def test_two_level_codes_are_group_dot_letter(two_level):
    assert codes(two_level) == [
        "1.a", "1.b",
        "2.a", "2.b", "2.c", "2.d", "2.đ", "2.e", "2.g", "2.h",
        "3", "4",
        "5.a", "5.b",
        "6", "7", "8",
    ]


def test_two_level_group_rows_are_sections_not_tasks(two_level):
    assert [(s.code, s.title, s.is_task) for s in two_level.sections] == [
        ("1", "Tuyên truyền về chuyển đổi số", False),
        ("2", "Phát triển hạ tầng số", False),
        ("5", "Đào tạo nhân lực số", False),
    ]
    assert [t.section for t in two_level.tasks[:3]] == ["1", "1", "2"]
    assert two_level.tasks[0].section_title == "Tuyên truyền về chuyển đổi số"


def test_two_level_items_inherit_the_group_cells_merged_over_them(two_level):
    first, second = two_level.tasks[:2]
    assert (first.lead, second.lead) == ("Sở Khoa học và Công nghệ", "Báo và Phát thanh, Truyền hình tỉnh")
    for t in (first, second):
        assert (t.coordinators, t.deliverable, t.deadline_text) == (
            "Sở Văn hóa, Thể thao và Du lịch", "Tin, bài, phóng sự", "Quý I/2026",
        )
    last_of_two = two_level.tasks[9]
    assert (last_of_two.code, last_of_two.coordinators, last_of_two.deadline_value) == (
        "2.h", "Viễn thông tỉnh", datetime.date(2026, 6, 30),
    )


def test_two_level_running_number_is_kept_beside_the_code(two_level):
    assert [(t.serial, t.code, t.printed_number) for t in two_level.tasks[-3:]] == [
        ("15", "6", "6"), ("16", "7", "7"), ("17", "8", "8"),
    ]


def test_two_level_stand_alone_rows_keep_their_own_cells(two_level):
    t = two_level.tasks[10]
    assert (t.code, t.section, t.lead, t.coordinators, t.deadline_text, t.notes) == (
        "3", "", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Tháng 9/2026", "Ghi chú: Ưu tiên",
    )


def test_two_level_column_numbers_and_footer_are_skipped(two_level):
    assert two_level.issues == []
    assert two_level.tasks[-1].row == 27


def test_two_level_header_repeated_after_a_page_break_is_skipped():
    parsed = parse_xlsx(*two_level_rows(header_again_before="3"))

    assert codes(parsed)[9:12] == ["2.h", "3", "4"] and len(parsed.tasks) == 17 and parsed.issues == []


def test_vietnamese_letters_under_a_group_on_a_grid():
    header = ["TT", "Chi tiết", "Nội dung", "Chủ trì", "Thời hạn"]
    sheet = grid(
        ["Stt", M, "Nội dung", "Chủ trì", "Thời hạn"],
        [*header[:2], Cell("Nội dung", filled_down=True), Cell("Chủ trì", filled_down=True),
         Cell("Thời hạn", filled_down=True)],
        [None, "1", "Nhóm nhiệm vụ", None, "Năm 2026"],
        *[[str(n), f"{letter})", f"Việc {letter}", "Sở Nội vụ", Cell("Năm 2026", filled_down=True)]
          for n, letter in enumerate(["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"], 1)],
    )

    assert codes(parse_appendix(sheet)) == [
        "1.a", "1.b", "1.c", "1.d", "1.đ", "1.e", "1.g", "1.h", "1.i", "1.k", "1.l", "1.m", "1.n",
    ]


def test_group_row_data_typed_once_is_inherited_by_its_items():
    sheet = grid(
        ["Stt", M, "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"],
        ["TT", "Chi tiết"],
        [None, "1", "Nhóm", "", "Sở Tư pháp", "Quý II/2026"],
        ["1", "a)", "Việc a", "Sở Nội vụ", "", ""],
        ["2", "b)", "Việc b", "Sở Y tế", "Sở Tài chính", "Quý III/2026"],
    )

    parsed = parse_appendix(sheet)

    assert [(t.code, t.lead, t.coordinators, t.deadline_text) for t in parsed.tasks] == [
        ("1.a", "Sở Nội vụ", "Sở Tư pháp", "Quý II/2026"),
        ("1.b", "Sở Y tế", "Sở Tài chính", "Quý III/2026"),
    ]
    assert parsed.issues == []


def test_stt_merged_over_two_columns_without_sub_labels():
    sheet = grid(
        ["Stt", M, "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        [None, "1", "Nhóm", None, "Năm 2026"],
        ["1", "a)", "Việc a", "Sở Nội vụ", Cell("Năm 2026", filled_down=True)],
        ["2", "2", "Việc riêng", "Sở Y tế", "Năm 2026"],
    )

    parsed = parse_appendix(sheet)

    assert parsed.columns[DETAIL] == 1 and codes(parsed) == ["1.a", "2"]


def test_numbered_item_with_its_own_data_still_heads_letter_items():
    """Without merged cells or a "Chi tiết" column a numbered row with data stays a task (Đồng Tháp)."""
    parsed = parse_appendix(grid(HEADER, task("1"), task("a)"), task("2")))

    assert codes(parsed) == ["1", "1.a", "2"]


def test_group_row_with_merged_data_over_prefixed_items():
    deadline = Cell("Năm 2026", filled_down=True)
    parsed = parse_appendix(
        grid(
            HEADER,
            ["1", "Nhóm", "", "", "Năm 2026", ""],
            ["1.1", "Việc một", "Sở Nội vụ", "", deadline, ""],
            ["1.2", "Việc hai", "Sở Y tế", "", deadline, ""],
            task("2"),
        )
    )

    assert codes(parsed) == ["1.1", "1.2", "2"] and parsed.sections[0].code == "1"


# --- 2. Printed column numbers under the header ------------------------------------------------------


@pytest.mark.parametrize(
    "numbers", [["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "2", "3", "4", "5"], [1, 2, 3, 4, 5]]
)
def test_printed_column_numbers_are_skipped(numbers):
    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan, đơn vị phối hợp", "Thời hạn hoàn thành"],
        numbers,
        ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026"],
    ]

    parsed = parse_xlsx(rows)

    assert codes(parsed) == ["1"] and parsed.issues == []


def test_column_numbers_under_a_two_row_header():
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", None, "Thời gian"],
        [None, None, "Chủ trì", "Phối hợp", None],
        [1, 2, 3, 4, 5],
        ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026"],
    ]

    parsed = parse_xlsx(rows, ["C1:D1", "A1:A2", "B1:B2", "E1:E2"])

    assert parsed.columns[LEAD] == 2 and parsed.columns[COORDINATORS] == 3
    assert codes(parsed) == ["1"] and parsed.issues == []


# --- 3. A Roman numeral alone in the number cell -----------------------------------------------------


def test_roman_numeral_alone_with_the_title_in_the_next_cell():
    parsed = parse_appendix(
        grid(HEADER, ["II.", "HẠ TẦNG SỐ", None, None, None, None], task("1"), task("2"), task("3"))
    )

    assert codes(parsed) == ["II.1", "II.2", "II.3"] and parsed.sections[0].title == "HẠ TẦNG SỐ"


def test_roman_section_beside_a_detail_column():
    """"II." in the "TT" column, its title in the "Chi tiết" cell merged across the table."""
    rows = [
        *TWO_LEVEL_HEADER,
        ["I.", "CHÍNH QUYỀN SỐ"],
        [1, "1", "Nâng cấp cổng dịch vụ công", "Văn phòng UBND tỉnh", None, None, "Năm 2026"],
        ["II.", "KINH TẾ SỐ"],
        [2, "1", "Hỗ trợ doanh nghiệp", "Sở Công Thương", None, None, "Năm 2026"],
        [3, "2", "Sàn thương mại điện tử", "Sở Công Thương", None, None, "Năm 2026"],
    ]
    merges = ["A1:B1", *(f"{col}1:{col}2" for col in "CDEFGH"), "B3:H3", "B5:H5"]

    parsed = parse_xlsx(rows, merges)

    assert [(s.code, s.title) for s in parsed.sections] == [("I", "CHÍNH QUYỀN SỐ"), ("II", "KINH TẾ SỐ")]
    assert codes(parsed) == ["I.1", "II.1", "II.2"]


# --- 4. Back to the top level after a group's lettered items ----------------------------------------


def test_numbers_after_lettered_items_leave_the_group():
    parsed = parse_appendix(
        grid(
            HEADER,
            ["2", "Nhóm", M, M, M, M],
            task("a)"), task("b)"), task("c)"), task("d)"), task("đ)"),
            task("3"),
            task("4"),
        )
    )

    assert codes(parsed) == ["2.a", "2.b", "2.c", "2.d", "2.đ", "3", "4"]
    assert [t.section for t in parsed.tasks[-2:]] == ["", ""]


def test_numbers_after_lettered_items_in_a_section():
    parsed = parse_appendix(
        grid(HEADER, ["I", "CHUNG", M, M, M, M], ["1", "Nhóm", M, M, M, M], task("a)"), task("b)"), task("2"))
    )

    assert codes(parsed) == ["I.1.a", "I.1.b", "I.2"]


def test_items_numbered_afresh_under_an_agency_group_still_nest():
    parsed = parse_appendix(grid(HEADER, ["7.1", "Công an tỉnh", M, M, M, M], task("1"), task("2")))

    assert codes(parsed) == ["7.1.1", "7.1.2"]


# --- 5. Header words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Stt", NUMBER),
        ("Sở, ngành chủ trì tham mưu", LEAD),
        ("Đơn vị phối hợp thực hiện", COORDINATORS),
        ("Nội dung hoạt động", TITLE),
        ("Công việc", TITLE),
        ("Đơn vị thực hiện", LEAD),
        ("Thời gian thực hiện/ hoàn thành", DEADLINE),
        ("Số ngày dự kiến", DURATION),
        ("Thời gian thực hiện (ngày)", DURATION),
        ("Cơ quan chủ trì", LEAD),
        ("Đơn vị chủ trì thực hiện", LEAD),
        ("Cơ quan, đơn vị phối hợp", COORDINATORS),
        ("Thời hạn hoàn thành", DEADLINE),
        ("Ngày hoàn thành", DEADLINE),
        ("Sản phẩm đầu ra", DELIVERABLE),
        ("Kết quả/sản phẩm", DELIVERABLE),
        ("Dự kiến sản phẩm", DELIVERABLE),
        ("Ghi chú", NOTE),
        ("Kinh phí", NOTE),
        ("Nguồn kinh phí", NOTE),
        ("Chi tiết", NOTE),  # a number column only under a merged "Stt"
    ],
)
def test_2026_header_labels(label, role):
    assert classify_header(label) == role


def test_header_with_the_2026_labels():
    sheet = grid(
        ["Stt", "Công việc", "Đơn vị chủ trì thực hiện", "Cơ quan, đơn vị phối hợp", "Thời hạn hoàn thành",
         "Kết quả/sản phẩm", "Kinh phí", "Nguồn kinh phí"],
        ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026", "Báo cáo", "200 triệu", "Ngân sách tỉnh"],
    )

    parsed = parse_appendix(sheet)

    t = parsed.tasks[0]
    assert parsed.columns == {NUMBER: 0, TITLE: 1, LEAD: 2, COORDINATORS: 3, DEADLINE: 4, DELIVERABLE: 5}
    assert (t.lead, t.coordinators, t.deadline_text, t.deliverable, t.notes) == (
        "Sở Nội vụ", "Sở Tư pháp", "Quý I/2026", "Báo cáo",
        "Kinh phí: 200 triệu\nNguồn kinh phí: Ngân sách tỉnh",
    )


@pytest.fixture
def durations():
    rows = [
        ["TT", "Nội dung hoạt động", "Đơn vị thực hiện", "Đơn vị phối hợp thực hiện", "Số ngày dự kiến",
         "Dự kiến sản phẩm"],
        [1, "Khảo sát hiện trạng", "Sở Khoa học và Công nghệ", "Các sở, ngành", 30, "Báo cáo khảo sát"],
        [2, "Xây dựng đề án", "Sở Khoa học và Công nghệ", None, "45 ngày", "Đề án"],
        [3, "Tổ chức hội thảo", "Sở Nội vụ", None, None, "Hội thảo"],
    ]
    return parse_xlsx(rows)


def test_duration_is_kept_in_the_notes(durations):
    assert [(t.notes, t.duration_days) for t in durations.tasks] == [
        ("Số ngày dự kiến: 30", 30), ("Số ngày dự kiến: 45 ngày", 45), ("", None),
    ]


def test_duration_leaves_the_deadline_unknown_and_asks_for_a_date(durations):
    assert [(t.deadline_text, t.deadline_value) for t in durations.tasks] == [("", None)] * 3
    assert messages(durations) == [
        (2, "Phụ lục chỉ ghi số ngày dự kiến (30 ngày), không ghi thời hạn hoàn thành: "
            "vui lòng nhập thời hạn cho nhiệm vụ này."),
        (3, "Phụ lục chỉ ghi số ngày dự kiến (45 ngày), không ghi thời hạn hoàn thành: "
            "vui lòng nhập thời hạn cho nhiệm vụ này."),
        (4, "Thiếu thời gian hoàn thành."),
    ]


def test_duration_beside_a_deadline_is_only_a_note():
    sheet = grid(
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian thực hiện/ hoàn thành", "Số ngày dự kiến"],
        ["1", "Rà soát", "Sở Nội vụ", "Tháng 3/2026", "30"],
    )

    parsed = parse_appendix(sheet)

    assert locate_header(sheet).columns[DEADLINE] == 3
    assert (parsed.tasks[0].deadline_text, parsed.tasks[0].notes, parsed.issues) == (
        "Tháng 3/2026", "Số ngày dự kiến: 30", [],
    )


# --- 6. The next province's file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def next_province():
    """Title rows, a two-row header under merged labels, column numbers, parts "A."/"B.", Arabic groups
    with "1.1" tasks, continuation rows with an empty number cell, a "Ghi chú:" footer and signature."""
    rows = [
        ["ỦY BAN NHÂN DÂN TỈNH"],
        ["PHỤ LỤC"],
        ["DANH MỤC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU NĂM 2026"],
        ["(Kèm theo Kế hoạch số 40/KH-UBND ngày 20/01/2026 của UBND tỉnh)"],
        ["STT", "Nhiệm vụ", "Phân công thực hiện", None, "Thời gian", None, "Kết quả/sản phẩm", "Kinh phí"],
        [None, None, "Cơ quan chủ trì", "Cơ quan phối hợp", "Bắt đầu", "Hoàn thành", None, None],
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        ["A.", "NHIỆM VỤ CHUNG"],
        ["1", "Hoàn thiện thể chế"],
        ["1.1", "Ban hành quy chế quản lý dữ liệu", "Sở Khoa học và Công nghệ", "Sở Tư pháp", "01/2026",
         datetime.datetime(2026, 3, 31), "Quyết định", None],
        [None, None, None, "Văn phòng UBND tỉnh", None, None, "Quy chế", None],
        ["1.2", "Rà soát văn bản", "Sở Tư pháp", "Các sở, ngành", "01/2026", "Quý II/2026", "Báo cáo", None],
        ["2", "Truyền thông"],
        ["2.1", "Tổ chức Ngày Chuyển đổi số", "Sở Khoa học và Công nghệ", None, "09/2026", "10/10/2026",
         "Sự kiện", "500 triệu"],
        ["B.", "NHIỆM VỤ CỦA CÁC ĐỊA PHƯƠNG"],
        ["1", "Cấp xã"],
        ["1.1", "Triển khai nền tảng số cấp xã", "UBND các xã, phường", None, "01/2026", "Năm 2026", None,
         None],
        ["1.2", "Phổ cập kỹ năng số", "UBND các xã, phường", "Đoàn Thanh niên", "01/2026", "Năm 2026",
         "Tổ công nghệ số cộng đồng", None],
        [None, "phổ cập cho người dân", None, None, None, None, None, None],
        ["Ghi chú:"],
        ["1. Kinh phí thực hiện từ nguồn ngân sách tỉnh."],
        ["2. Các sở báo cáo kết quả trước ngày 15/12/2026."],
        ["KT. CHỦ TỊCH"],
        ["PHÓ CHỦ TỊCH"],
    ]
    merges = [
        "A1:D1", "A2:H2", "A3:H3", "A4:H4",
        "A5:A6", "B5:B6", "C5:D5", "E5:F5", "G5:G6", "H5:H6",
        "B8:H8", "B9:H9", "B13:H13", "B15:H15", "B16:H16",
        "B18:B19",  # the title of 1.2 merged over the row below, number cell left empty
        "A20:H20", "A21:H21", "A22:H22",
    ]
    return parse_xlsx(rows, merges)


def test_next_province_header(next_province):
    assert next_province.header_row == 5
    assert next_province.columns == {
        NUMBER: 0, TITLE: 1, LEAD: 2, COORDINATORS: 3, DEADLINE: 5, DELIVERABLE: 6,
    }


def test_next_province_codes_and_sections(next_province):
    assert [(t.code, t.section) for t in next_province.tasks] == [
        ("A.1.1", "A.1"), ("A.1.2", "A.1"), ("A.2.1", "A.2"), ("B.1.1", "B.1"), ("B.1.2", "B.1"),
    ]
    assert [(s.code, s.title, s.parent) for s in next_province.sections] == [
        ("A", "NHIỆM VỤ CHUNG", ""),
        ("A.1", "Hoàn thiện thể chế", "A"),
        ("A.2", "Truyền thông", "A"),
        ("B", "NHIỆM VỤ CỦA CÁC ĐỊA PHƯƠNG", ""),
        ("B.1", "Cấp xã", "B"),
    ]


def test_next_province_continuation_rows_add_to_their_task(next_province):
    first, _, _, _, last = next_province.tasks
    assert (first.coordinators, first.deliverable) == (
        "Sở Tư pháp\nVăn phòng UBND tỉnh", "Quyết định; Quy chế",
    )
    assert (first.deadline_text, first.deadline_value) == ("31/03/2026", datetime.date(2026, 3, 31))
    assert (last.row, last.title, last.coordinators) == (18, "Phổ cập kỹ năng số", "Đoàn Thanh niên")


def test_next_province_notes_and_no_issues(next_province):
    assert next_province.tasks[0].notes == "Thời gian Bắt đầu: 01/2026"
    assert next_province.tasks[2].notes == "Thời gian Bắt đầu: 09/2026\nKinh phí: 500 triệu"
    assert next_province.issues == []


def test_empty_number_cell_continuation_on_a_grid():
    parsed = parse_appendix(
        grid(HEADER, task("1"), [None, None, "Sở Tư pháp", "Sở Y tế", "", "Báo cáo"], task("2"))
    )

    first = parsed.tasks[0]
    assert codes(parsed) == ["1", "2"] and parsed.issues == []
    assert (first.lead, first.coordinators, first.deliverable) == (
        "Sở Nội vụ\nSở Tư pháp", "Sở Y tế", "Báo cáo",
    )


def test_continuation_row_answers_a_missing_deadline():
    parsed = parse_appendix(grid(HEADER, task("1", deadline=""), [None, None, "", "", "Quý IV/2026", ""]))

    assert parsed.tasks[0].deadline_text == "Quý IV/2026" and parsed.issues == []


def test_data_row_after_a_heading_is_not_a_continuation():
    parsed = parse_appendix(grid(HEADER, ["I", "CHUNG", M, M, M, M], [None, None, "Sở Tư pháp", "", "", ""]))

    assert "bỏ qua" in parsed.issues[0].message


def test_roman_sections_inside_lettered_parts():
    parsed = parse_appendix(
        grid(
            HEADER,
            ["A.", "NHIỆM VỤ CHUNG", M, M, M, M],
            task("1"),
            ["B.", "NHIỆM VỤ CỤ THỂ", M, M, M, M],
            ["I.", "THỂ CHẾ", M, M, M, M],
            task("1"),
            ["II.", "HẠ TẦNG", M, M, M, M],
            task("1"),
            ["C.", "TỔ CHỨC THỰC HIỆN", M, M, M, M],
            task("1"),
        )
    )

    assert codes(parsed) == ["A.1", "B.I.1", "B.II.1", "C.1"]
    assert [(s.code, s.parent) for s in parsed.sections] == [
        ("A", ""), ("B", ""), ("B.I", "B"), ("B.II", "B"), ("C", ""),
    ]


def test_numbered_lines_under_a_footnote_are_not_tasks():
    parsed = parse_appendix(
        grid(HEADER, task("1"), ["Ghi chú:", M, M, M, M, M], ["1. Số liệu tạm tính", M, M, M, M, M])
    )

    assert codes(parsed) == ["1"] and parsed.issues == []


def test_section_after_a_footnote_inside_the_table_is_kept():
    parsed = parse_appendix(
        grid(HEADER, task("1"), ["(*) Nhiệm vụ trọng tâm", M, M, M, M, M], ["II", "DỮ LIỆU", M, M, M, M],
             task("1"))
    )

    assert codes(parsed) == ["1", "II.1"]


def test_letters_written_in_the_title_beside_a_running_number():
    sheet = grid(
        ["Stt", M, "Nội dung", "Chủ trì", "Thời hạn"],
        ["TT", "Chi tiết"],
        [None, "1", "Nhóm", None, "Năm 2026"],
        ["1", None, "a) Việc một", "Sở Nội vụ", Cell("Năm 2026", filled_down=True)],
        ["2", None, "b) Việc hai", "Sở Y tế", Cell("Năm 2026", filled_down=True)],
    )

    parsed = parse_appendix(sheet)

    assert [(t.code, t.serial, t.title) for t in parsed.tasks] == [
        ("1.a", "1", "Việc một"), ("1.b", "2", "Việc hai"),
    ]
