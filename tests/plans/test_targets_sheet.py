"""A plan's targets read from a targets sheet (plans.appendix.targets)."""

import json
from pathlib import Path

import pytest

from plans.appendix import read_sheets
from plans.appendix.parsing import find_task_sheet, locate_header
from plans.appendix.sheet import EMPTY, MERGED, Cell, Sheet, SheetRow
from plans.appendix.targets import (
    find_target_sheet,
    parse_targets,
    split_sheets,
    targets_contract,
)

FIXTURE = Path(__file__).resolve().parents[2] / "plans" / "demo_data" / "appendix" / "dongnai-53-2024.xlsx"

G2, G3, G4, G5 = "2.2. Chính quyền số", "2.3. Kinh tế số", "2.4. Xã hội số", "2.5. An toàn thông tin"
HS = "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ"
# (code, group, name, comparator, value, unit, level, comparator as printed): the sheet «Chỉ tiêu».
DONGNAI = [
    (
        "1",
        G2,
        "Dịch vụ công trực tuyến toàn trình được tích hợp, cung cấp trên Cổng Dịch vụ công Quốc gia",
        ">=",
        50,
        "%",
        "",
        "",
    ),
    ("2", G2, HS, ">=", 80, "%", "cấp sở", "tối thiểu"),
    ("3", G2, HS, ">=", 40, "%", "cấp huyện", "tối thiểu"),
    ("4", G2, HS, ">=", 30, "%", "cấp xã", "tối thiểu"),
    (
        "5",
        G2,
        "Thanh toán trực tuyến trên Cổng Dịch vụ công Quốc gia trên tổng số giao dịch thanh toán của "
        "dịch vụ công",
        ">=",
        50,
        "%",
        "",
        "",
    ),
    (
        "6",
        G2,
        "Thủ tục hành chính có yêu cầu nghĩa vụ tài chính được thanh toán trực tuyến trên Cổng Dịch vụ "
        "công Quốc gia",
        ">=",
        70,
        "%",
        "",
        "",
    ),
    (
        "7",
        G2,
        "Hoạt động kiểm tra hành chính định kỳ của cơ quan quản lý nhà nước đối với đối tượng quản lý "
        "được thực hiện thông qua môi trường số và hệ thống thông tin của cơ quan quản lý",
        ">",
        50,
        "%",
        "",
        "trên",
    ),
    (
        "8",
        G2,
        "Chế độ báo cáo, chỉ tiêu tổng hợp báo cáo định kỳ và báo cáo thống kê về kinh tế - xã hội được "
        "thực hiện trên hệ thống thông tin báo cáo tỉnh và kết nối, tích hợp, chia sẻ dữ liệu số trên "
        "Hệ thống thông tin báo cáo Quốc gia",
        ">=",
        100,
        "%",
        "cấp tỉnh, huyện, xã",
        "",
    ),
    (
        "9",
        G2,
        "Cán bộ, công chức, viên chức được tập huấn, bồi dưỡng, phổ cập kỹ năng số cơ bản",
        ">",
        60,
        "%",
        "",
        "trên",
    ),
    ("10", G3, "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", ">=", 70, "%", "", "đạt"),
    ("11", G3, "Tỷ lệ doanh nghiệp nộp thuế điện tử", ">=", 99.8, "%", "", "đạt"),
    (
        "12",
        G3,
        "Doanh nghiệp nhỏ và vừa được tiếp cận dùng thử các nền tảng chuyển đổi số",
        ">",
        90,
        "%",
        "",
        "trên",
    ),
    (
        "13",
        G3,
        "Doanh nghiệp nhỏ và vừa thường xuyên sử dụng các nền tảng chuyển đổi số",
        ">",
        40,
        "%",
        "",
        "trên",
    ),
    ("14", G4, "Tỷ lệ hộ gia đình có đường internet cáp quang băng rộng", ">", 86, "%", "", "trên"),
    ("15", G4, "Tỷ lệ dân số trưởng thành có tài khoản định danh điện tử", ">", 50, "%", "", "trên"),
    ("16", G4, "Tỷ lệ dân số trưởng thành trở lên có chữ ký số cá nhân", ">", 40, "%", "", "trên"),
    (
        "17",
        G4,
        "Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức "
        "được phép khác",
        ">",
        80,
        "%",
        "",
        "trên",
    ),
    ("18", G4, "Tỷ lệ dân số trưởng thành có tài khoản dịch vụ công trực tuyến", ">", 65, "%", "", "trên"),
    (
        "19",
        G4,
        "Tỷ lệ các cơ sở giáo dục từ tiểu học đến trung học phổ thông hoàn thiện được mô hình quản trị "
        "số, hoạt động số, chuẩn hóa dữ liệu số, kho học liệu số",
        ">=",
        40,
        "%",
        "",
        "đạt",
    ),
    ("20", G4, "Tỷ lệ dân số có hồ sơ sức khỏe điện tử", ">=", 80, "%", "", "đạt"),
    (
        "21",
        G5,
        "Tỷ lệ hệ thống thông tin của cơ quan hành chính nhà nước hoàn thành phê duyệt cấp độ an toàn "
        "hệ thống thông tin",
        ">",
        80,
        "%",
        "",
        "trên",
    ),
    (
        "22",
        G5,
        "Tỷ lệ hệ thống thông tin của cơ quan nhà nước đáp ứng yêu cầu bảo đảm an toàn hệ thống thông "
        "tin theo cấp độ",
        ">",
        45,
        "%",
        "",
        "trên",
    ),
    (
        "23",
        G5,
        "Các trang, cổng thông tin điện tử của cơ quan nhà nước được đánh giá an toàn thông tin và dán "
        "nhãn tín nhiệm mạng",
        ">=",
        100,
        "%",
        "",
        "",
    ),
]


@pytest.fixture(scope="module")
def sheets():
    return read_sheets(str(FIXTURE), FIXTURE.name)


def test_the_targets_sheet_is_found_and_not_taken_for_the_task_sheet(sheets):
    assert [sheet.name for sheet in sheets] == ["Nhiệm vụ", "Chỉ tiêu"]
    assert find_target_sheet(sheets).name == "Chỉ tiêu"
    assert find_task_sheet(sheets).name == "Nhiệm vụ"
    assert find_target_sheet([sheets[0]]) is None  # the task sheet is no targets sheet
    tasks, target = split_sheets(sheets)
    assert [sheet.name for sheet in tasks] == ["Nhiệm vụ"] and target.name == "Chỉ tiêu"


def test_all_23_dongnai_targets_field_by_field(sheets):
    parsed = parse_targets(find_target_sheet(sheets))
    assert parsed.issues == []
    assert parsed.header_row == 3
    assert len(parsed.targets) == 23
    for target, expected, row in zip(parsed.targets, DONGNAI, range(4, 27), strict=True):
        code, group, name, comparator, value, unit, level, printed = expected
        assert (target.row, target.code, target.group, target.name) == (row, code, group, name)
        assert (target.comparator, target.value, target.value_max, target.unit) == (
            comparator,
            value,
            None,
            unit,
        )
        assert (target.level, target.comparator_text) == (level, printed)
        assert target.deadline_text == "Năm 2024"  # the title: "CHỈ TIÊU CỤ THỂ NĂM 2024 (… 15/02/2024)"
        assert (target.reporting_agency, target.baseline, target.baseline_text) == ("", None, "")


def test_contract(sheets):
    contract = targets_contract(parse_targets(find_target_sheet(sheets)))
    assert contract[1] == {
        "code": "2",
        "group": G2,
        "name": HS,
        "comparator": ">=",
        "value": 80,
        "unit": "%",
        "level": "cấp sở",
        "deadline": {"text": "Năm 2024"},
    }
    assert contract[10]["value"] == 99.8
    assert all("value_max" not in item for item in contract)
    json.dumps(contract, ensure_ascii=False)


# --- Variants ------------------------------------------------------------------------------------------


def make_sheet(rows, name="Chỉ tiêu", merged_rows=()):
    """A sheet of text rows; a row listed in ``merged_rows`` has its first cell merged across."""
    width = max(len(row) for row in rows)
    built = []
    for number, texts in enumerate(rows, start=1):
        cells = []
        for col in range(width):
            text = texts[col] if col < len(texts) else ""
            if number in merged_rows and col > 0:
                cells.append(MERGED)
            else:
                cells.append(Cell(str(text), text) if text != "" else EMPTY)
        built.append(SheetRow(number, tuple(cells)))
    return Sheet(name, tuple(built), width)


SECOND_SHEET = make_sheet(
    [
        ["PHỤ LỤC II: CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026"],
        [],
        ["STT", "Tên chỉ tiêu", "Chỉ tiêu năm 2026", "Đơn vị tính", "Cơ quan chủ trì theo dõi"],
        ["I", "CHÍNH QUYỀN SỐ"],
        ["1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "≥ 80%", "%", "Văn phòng UBND tỉnh"],
        [
            "2",
            "Số doanh nghiệp được hỗ trợ chuyển đổi số",
            "Tối thiểu 20",
            "doanh nghiệp",
            "Sở Khoa học và Công nghệ",
        ],
        ["II", "KINH TẾ SỐ"],
        ["3", "Số dự án chuyển đổi số", "03–05", "dự án", "Sở Tài chính"],
        ["4", "Tỷ lệ hồ sơ trễ hạn", "Không quá 5%", "", "Sở Nội vụ"],
        ["5", "Tỷ trọng kinh tế số trong GRDP", "70-80%", "", "Sở Tài chính"],
    ],
    name="Chỉ tiêu 2026",
    merged_rows=(1,),
)
TASKS_2026 = make_sheet(
    [
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
        [
            "1",
            "Xây dựng kho dữ liệu",
            "Sở Khoa học và Công nghệ",
            "",
            "Quý II/2026",
            "Tối thiểu 20 doanh nghiệp",
        ],
    ],
    name="Nhiệm vụ",
)


def test_a_second_sheet_with_other_wording():
    sheets = [TASKS_2026, SECOND_SHEET]
    assert find_target_sheet(sheets) is SECOND_SHEET
    assert find_task_sheet(sheets) is TASKS_2026
    assert locate_header(SECOND_SHEET) is None  # the task parser does not take it either
    parsed = parse_targets(SECOND_SHEET)
    got = [
        (
            t.code,
            t.group,
            t.name,
            t.comparator,
            t.value,
            t.value_max,
            t.unit,
            t.deadline_text,
            t.reporting_agency,
        )
        for t in parsed.targets
    ]
    assert got == [
        (
            "1",
            "I. CHÍNH QUYỀN SỐ",
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            ">=",
            80,
            None,
            "%",
            "Năm 2026",
            "Văn phòng UBND tỉnh",
        ),
        (
            "2",
            "I. CHÍNH QUYỀN SỐ",
            "Số doanh nghiệp được hỗ trợ chuyển đổi số",
            ">=",
            20,
            None,
            "doanh nghiệp",
            "Năm 2026",
            "Sở Khoa học và Công nghệ",
        ),
        ("3", "II. KINH TẾ SỐ", "Số dự án chuyển đổi số", "range", 3, 5, "dự án", "Năm 2026", "Sở Tài chính"),
        ("4", "II. KINH TẾ SỐ", "Tỷ lệ hồ sơ trễ hạn", "<=", 5, None, "%", "Năm 2026", "Sở Nội vụ"),
        (
            "5",
            "II. KINH TẾ SỐ",
            "Tỷ trọng kinh tế số trong GRDP",
            "range",
            70,
            80,
            "%",
            "Năm 2026",
            "Sở Tài chính",
        ),
    ]
    assert parsed.issues == []
    contract = targets_contract(parsed)
    assert contract[2]["value_max"] == 5 and contract[2]["comparator"] == "range"
    assert contract[4] == {
        "code": "5",
        "group": "II. KINH TẾ SỐ",
        "name": "Tỷ trọng kinh tế số trong GRDP",
        "comparator": "range",
        "value": 70,
        "value_max": 80,
        "unit": "%",
        "level": "",
        "deadline": {"text": "Năm 2026"},
    }


def test_targets_first_in_the_workbook_with_a_task_like_header():
    """ "Nội dung chỉ tiêu | … | Cơ quan chủ trì" reads as a task header to ``find_task_sheet``; the
    targets sheet is set aside first."""
    targets = make_sheet(
        [
            ["STT", "Nội dung chỉ tiêu", "Kế hoạch", "ĐVT", "Cơ quan chủ trì"],
            ["1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "80", "%", "Văn phòng UBND tỉnh"],
        ]
    )
    tasks, target = split_sheets([targets, TASKS_2026])
    assert target is targets and tasks == [TASKS_2026]
    assert find_task_sheet(tasks) is TASKS_2026
    assert find_target_sheet([TASKS_2026]) is None
    [parsed] = parse_targets(targets).targets
    assert (parsed.name, parsed.comparator, parsed.value, parsed.unit, parsed.reporting_agency) == (
        "Tỷ lệ dịch vụ công trực tuyến toàn trình",
        ">=",
        80,
        "%",
        "Văn phòng UBND tỉnh",
    )


def test_a_single_value_column_holding_phrases_and_a_baseline():
    sheet = make_sheet(
        [
            ["TT", "Chỉ tiêu", "Năm 2025 (thực hiện)", "Chỉ tiêu năm 2026", "Cấp áp dụng", "Ghi chú"],
            ["1", "Tỷ lệ hồ sơ trực tuyến", "65,5%", "≥ 80%", "cấp tỉnh", ""],
            ["2", "Tỷ lệ thanh toán trực tuyến", "40", "trên 50%", "", "Theo Đề án 06"],
            ["3", "Số hệ thống thông tin được đánh giá", "", "từ 3 đến 5 hệ thống", "", ""],
            ["4", "Tỷ lệ hồ sơ trễ hạn", "3%", "dưới 2%", "", ""],
        ]
    )
    got = [
        (
            t.code,
            t.comparator,
            t.value,
            t.value_max,
            t.unit,
            t.level,
            t.baseline,
            t.baseline_text,
            t.deadline_text,
        )
        for t in parse_targets(sheet).targets
    ]
    assert got == [
        ("1", ">=", 80, None, "%", "cấp tỉnh", 65.5, "65,5%", "Năm 2026"),
        ("2", ">", 50, None, "%", "", 40, "40", "Năm 2026"),
        ("3", "range", 3, 5, "hệ thống", "", None, "", "Năm 2026"),
        ("4", "<", 2, None, "%", "", 3, "3%", "Năm 2026"),
    ]


def test_group_rows_instead_of_a_column_and_numbers_typed_in_the_value_cell():
    sheet = make_sheet(
        [
            ["STT", "Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị"],
            ["2.2. Chính quyền số"],
            ["1", "Tỷ lệ hồ sơ trực tuyến", "tối thiểu", "80", "%"],
            ["2", "Tỷ lệ nộp thuế điện tử", "đạt", "99,8", "%"],
            ["2.3", "Kinh tế số"],
            ["3", "Doanh nghiệp dùng hợp đồng điện tử", "trên", "1.000", "doanh nghiệp"],
            ["4", "Tỷ lệ hồ sơ trễ hạn", "không quá", "5", "%"],
        ],
        merged_rows=(2,),
    )
    got = [
        (t.code, t.group, t.comparator, t.value, t.unit, t.comparator_text)
        for t in parse_targets(sheet).targets
    ]
    assert got == [
        ("1", "2.2. Chính quyền số", ">=", 80, "%", "tối thiểu"),
        ("2", "2.2. Chính quyền số", ">=", 99.8, "%", "đạt"),
        ("3", "2.3. Kinh tế số", ">", 1000, "doanh nghiệp", "trên"),
        ("4", "2.3. Kinh tế số", "<=", 5, "%", "không quá"),
    ]


def test_warnings_in_vietnamese():
    sheet = make_sheet(
        [
            ["STT", "Tên chỉ tiêu", "Mục tiêu", "Đơn vị tính"],
            ["1", "Tỷ lệ hồ sơ trực tuyến", "80", "%"],
            ["1", "Tỷ lệ thanh toán trực tuyến", "chưa xác định", "%"],
            ["", "Số lớp tập huấn", "10", ""],
        ]
    )
    parsed = parse_targets(sheet)
    assert [t.code for t in parsed.targets] == ["1", "1", "3"]
    messages = [(issue.row, issue.message) for issue in parsed.issues]
    assert (3, "Chỉ tiêu chưa có giá trị cần đạt (không đọc được con số).") in messages
    assert (3, "Số thứ tự chỉ tiêu 1 trùng với dòng 2.") in messages
    assert (4, "Chỉ tiêu không có số thứ tự; đã tự đánh số 3.") in messages
    assert (4, "Chỉ tiêu không ghi đơn vị tính.") in messages


def test_a_sheet_without_a_targets_header():
    parsed = parse_targets(TASKS_2026)
    assert parsed.targets == []
    assert parsed.issues[0].level == "error"
    assert "«Chỉ tiêu»" in parsed.issues[0].message


def test_value_columns_of_several_years_give_a_target_per_year():
    sheet = make_sheet(
        [
            ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến năm 2025", "Mục tiêu đến năm 2030"],
            ["1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", "80", "100"],
            ["2", "Số doanh nghiệp công nghệ số", "doanh nghiệp", "", "1.000"],
        ]
    )

    parsed = parse_targets(sheet)

    assert [(t.code, t.name, t.value, t.unit, t.deadline_text) for t in parsed.targets] == [
        ("1 (2025)", "Tỷ lệ dịch vụ công trực tuyến toàn trình", 80, "%", "Năm 2025"),
        ("1 (2030)", "Tỷ lệ dịch vụ công trực tuyến toàn trình", 100, "%", "Năm 2030"),
        ("2 (2030)", "Số doanh nghiệp công nghệ số", 1000, "doanh nghiệp", "Năm 2030"),
    ]
    assert parsed.issues == []


def test_years_under_a_merged_value_heading_give_a_target_per_year():
    sheet = make_sheet(
        [
            ["STT", "Chỉ tiêu", "Mục tiêu", "", "Đơn vị tính"],
            ["", "", "Năm 2026", "Năm 2027", ""],
            ["1", "Tỷ lệ xã có hạ tầng cáp quang", "tối thiểu 90%", "100%", "%"],
        ]
    )
    heading = sheet.rows[0]  # "Mục tiêu" merged across both years
    sheet = Sheet(sheet.name, (SheetRow(1, (*heading.cells[:3], MERGED, heading.cells[4])), *sheet.rows[1:]),
                  sheet.width)

    parsed = parse_targets(sheet)

    assert [(t.code, t.comparator, t.value, t.deadline_text) for t in parsed.targets] == [
        ("1 (2026)", ">=", 90, "Năm 2026"),
        ("1 (2027)", ">=", 100, "Năm 2027"),
    ]


def test_a_single_value_column_naming_a_year_keeps_the_printed_code():
    sheet = make_sheet(
        [["STT", "Chỉ tiêu", "Chỉ tiêu năm 2026", "Đơn vị tính"], ["1", "Tỷ lệ hồ sơ trực tuyến", "80", "%"]]
    )

    assert [(t.code, t.deadline_text) for t in parse_targets(sheet).targets] == [("1", "Năm 2026")]
