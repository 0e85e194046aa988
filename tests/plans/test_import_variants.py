"""Layouts the demo files do not have, through the whole pipeline: ``import_appendix --dry-run --json``."""

import json

import pytest

from tests.plans.import_helpers import HEADER, docx_bytes, dong_thap, run_command, table_counts, xlsx_bytes  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dong_thap")]


def dry_run(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    before = table_counts()
    output = json.loads(
        run_command(path, "--province", "dong-thap", "--dry-run", "--json", "--reference-date", "2024-04-08")
    )
    assert table_counts() == before
    return output


def test_docx_with_a_two_row_header_and_a_lead_merged_down(tmp_path):
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", None, "Tiến độ", "Sản phẩm"],
        [None, None, "Chủ trì", "Phối hợp", None, None],
        ["I. NHÂN LỰC SỐ", None, None, None, None, None],
        ["1", "Tập huấn", "Sở TT&TT", "Sở Tư pháp;\nSở Tài chính", "Quý III/2024", "Lớp tập huấn"],
        ["2", "Bồi dưỡng", None, "", "Hằng năm", ""],
    ]
    data = docx_bytes(
        rows, merges=[(0, 2, 3), (2, 0, 5)], vertical=[(0, 1, 0), (0, 1, 1), (0, 1, 4), (0, 1, 5), (3, 4, 2)]
    )

    output = dry_run(tmp_path, "phu-luc.docx", data)

    first, second = output["tasks"]
    assert (first["code"], first["section"], first["section_title"]) == ("I.1", "I", "NHÂN LỰC SỐ")
    assert [m["agency"] for m in first["lead"]] == ["Sở Thông tin và Truyền thông"]
    assert [m["agency"] for m in first["coordinators"]] == ["Sở Tư pháp", "Sở Tài chính"]
    assert first["deadline"] == {"text": "Quý III/2024", "kind": "period", "due": "2024-09-30", "every": None}
    assert [m["mention"] for m in second["lead"]] == ["Sở TT&TT"]  # merged down over both tasks
    assert second["deadline"]["every"] == "year"


def test_columns_in_another_order_with_extra_columns(tmp_path):
    rows = [
        [
            "TT",
            "Thời hạn",
            "Cơ quan phối hợp",
            "Tên nhiệm vụ",
            "Kinh phí",
            "Cơ quan chủ trì",
            "Kết quả dự kiến",
        ],
        ["1", "Quý II/2024", "Sở Nội vụ", "Ban hành quy chế", "50 triệu", "VP UBND tỉnh", "Quyết định"],
    ]

    task = dry_run(tmp_path, "phu-luc.xlsx", xlsx_bytes(rows))["tasks"][0]

    assert (task["code"], task["title"], task["deliverable"]) == ("1", "Ban hành quy chế", "Quyết định")
    assert task["lead"][0]["agency"] == "Văn phòng UBND tỉnh"
    assert task["coordinators"][0]["agency"] == "Sở Nội vụ"
    assert task["deadline"]["due"] == "2024-06-30"


def test_sub_items_a_b(tmp_path):
    rows = [
        HEADER,
        ["II", "THỂ CHẾ"],
        ["1", "Xây dựng quy chế", "Sở Nội vụ", "", "Năm 2024", ""],
        ["a)", "Dự thảo quy chế", "Sở Nội vụ", "", "Quý II/2024", ""],
        ["b)", "Lấy ý kiến các sở", "Sở Tư pháp", "Sở Nội vụ", "Quý III/2024", ""],
        ["2", "Kiện toàn tổ chức", "Sở Nội vụ", "", "Năm 2024", ""],
    ]

    tasks = dry_run(tmp_path, "phu-luc.xlsx", xlsx_bytes(rows))["tasks"]

    assert [(t["code"], t["section"]) for t in tasks] == [
        ("II.1", "II"),
        ("II.1.a", "II.1"),
        ("II.1.b", "II.1"),
        ("II.2", "II"),
    ]


def test_repeated_header_rows_after_page_breaks_are_skipped(tmp_path):
    rows = [
        HEADER,
        ["1", "Rà soát", "Sở Nội vụ", "", "Năm 2024", ""],
        HEADER,
        ["2", "Kiện toàn", "Sở Nội vụ", "", "Năm 2024", ""],
        [],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["3", "Tập huấn", "Sở Nội vụ", "", "Năm 2024", ""],
    ]

    output = dry_run(tmp_path, "phu-luc.xlsx", xlsx_bytes(rows))

    assert [t["code"] for t in output["tasks"]] == ["1", "2", "3"]
    assert output["issues"] == []


def test_csv_with_bom_and_semicolons(tmp_path):
    text = (
        "\ufeffSTT;Nhiệm vụ;Đơn vị chủ trì;Đơn vị phối hợp;Thời gian hoàn thành\n"
        "1;Rà soát;Sở Nội vụ;Sở Tư pháp;Hằng quý\n"
    )

    task = dry_run(tmp_path, "phu-luc.csv", text.encode())["tasks"][0]

    assert task["deadline"] == {
        "text": "Hằng quý",
        "kind": "recurring",
        "due": "2024-06-30",
        "every": "quarter",
    }
    assert [m["agency"] for m in task["coordinators"]] == ["Sở Tư pháp"]


def test_unknown_agency_comes_with_suggestions_and_an_issue(tmp_path):
    rows = [HEADER, ["1", "Rà soát", "Sở Ngoi vụ", "", "Năm 2024", ""]]

    output = dry_run(tmp_path, "phu-luc.xlsx", xlsx_bytes(rows))

    lead = output["tasks"][0]["lead"][0]
    assert lead["agency"] is None and "Sở Nội vụ" in lead["suggestions"]
    assert output["issues"][0]["row"] == 4 and output["issues"][0]["level"] == "warning"
