"""Golden test: importing each demo appendix gives exactly its ``*.expected.json``."""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from plans.appendix import Cell, Sheet, SheetRow, read_rows
from plans.appendix.parsing import parse_appendix
from plans.appendix.preview import build_preview
from tasks.deadlines import parse_deadline

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo_data"
MANIFEST = json.loads((DEMO / "appendix" / "manifest.json").read_text(encoding="utf-8"))
PLANS = json.loads((DEMO / "plans.json").read_text(encoding="utf-8"))["plans"]


def reference_date(filename):
    plan = next(plan for plan in PLANS if plan["appendix"] == f"appendix/{filename}")
    return datetime.date.fromisoformat(plan["deadline_reference_date"])


def without_suggestions(preview):
    tasks = []
    for task in preview["tasks"]:
        task = dict(task)
        for role in ("lead", "coordinators"):
            task[role] = [{k: v for k, v in item.items() if k != "suggestions"} for item in task[role]]
        tasks.append(task)
    return {"tasks": tasks}


@pytest.mark.parametrize("filename", sorted(MANIFEST))
def test_preview_matches_golden(filename):
    path = DEMO / "appendix" / filename
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / f"{MANIFEST[filename]['province']}.csv"))
    parsed = parse_appendix(read_rows(path, filename))

    preview = build_preview(parsed, matcher, reference_date(filename), parse_deadline)

    golden = path.with_name(path.name.replace(".xlsx", ".expected.json"))
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert without_suggestions(preview) == expected


@pytest.mark.parametrize("filename", sorted(MANIFEST))
def test_demo_appendices_raise_no_errors(filename):
    path = DEMO / "appendix" / filename
    parsed = parse_appendix(read_rows(path, filename))

    assert [issue for issue in parsed.issues if issue.level == "error"] == []


def test_only_known_unresolved_mention_is_quang_nam_commune_pair():
    filename = "quangnam-2024.xlsx"
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "quang-nam.csv"))
    parsed = parse_appendix(read_rows(DEMO / "appendix" / filename, filename))

    preview = build_preview(parsed, matcher, reference_date(filename), parse_deadline)

    unresolved = [
        (task["code"], item)
        for task in preview["tasks"]
        for item in task["lead"] + task["coordinators"]
        if item["agency"] is None
    ]
    suggestions = ["UBND cấp huyện", "UBND cấp xã"]
    assert unresolved == [
        ("2", {"mention": "UBND cấp huyện, cấp xã", "agency": None, "suggestions": suggestions})
    ]


# --- Preview shape and issues ----------------------------------------------------------------------


def _preview(rows, parse=parse_deadline):
    sheet = _sheet(
        [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"], *rows]
    )
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "dong-thap.csv"))
    return build_preview(parse_appendix(sheet), matcher, datetime.date(2024, 4, 8), parse)


def _sheet(rows):
    width = max(len(row) for row in rows)
    return Sheet(
        "t",
        tuple(
            SheetRow(
                number,
                tuple(
                    Cell(value.strftime("%d/%m/%Y"), value)
                    if isinstance(value, datetime.date)
                    else Cell(value or "", value)
                    for value in list(row) + [None] * (width - len(row))
                ),
            )
            for number, row in enumerate(rows, start=1)
        ),
        width,
    )


def test_preview_task_shape():
    preview = _preview([["1", "Rà soát", "Sở TT&TT", "Sở Nội vụ; Sở Tài chinh", "Năm 2024", "Báo cáo"]])

    assert preview["tasks"] == [
        {
            "code": "1",
            "section": "",
            "section_title": "",
            "title": "Rà soát",
            "lead": [{"mention": "Sở TT&TT", "agency": "Sở Thông tin và Truyền thông", "suggestions": []}],
            "coordinators": [
                {"mention": "Sở Nội vụ", "agency": "Sở Nội vụ", "suggestions": []},
                {"mention": "Sở Tài chinh", "agency": "Sở Tài chính", "suggestions": []},
            ],
            "deliverable": "Báo cáo",
            "deadline": {"text": "Năm 2024", "kind": "period", "due": "2024-12-31", "every": None},
            "indicators": [],
        }
    ]


def test_preview_date_cell_reaches_the_parser_as_a_date():
    seen = []

    def fake(value, reference):
        seen.append(value)
        return SimpleNamespace(text="?", kind="date", due=value, every=None)

    preview = _preview([["1", "Rà soát", "Sở Nội vụ", "", datetime.date(2024, 5, 15)]], parse=fake)

    assert seen == [datetime.date(2024, 5, 15)]
    assert preview["tasks"][0]["deadline"] == {
        "text": "15/05/2024",
        "kind": "date",
        "due": "2024-05-15",
        "every": None,
    }


def test_preview_reports_an_unreadable_deadline():
    preview = _preview([["1", "Rà soát", "Sở Nội vụ", "", "sớm nhất có thể"]])

    assert preview["issues"] == [
        {"row": 2, "level": "warning", "message": "Không đọc được thời hạn «sớm nhất có thể»."}
    ]


def test_preview_reports_an_unknown_agency_with_suggestions():
    preview = _preview([["1", "Rà soát", "Sở Ngoi vụ", "", "Năm 2024"]])

    lead = preview["tasks"][0]["lead"][0]
    assert lead["agency"] is None and {"Sở Nội vụ", "Sở Ngoại vụ"} <= set(lead["suggestions"])
    assert preview["issues"][0]["message"].startswith("Chưa xác định được đơn vị chủ trì «Sở Ngoi vụ»")


def test_preview_reports_a_fuzzy_match():
    preview = _preview([["1", "Rà soát", "Sở Thông tin và Truyền thôg", "", "Năm 2024"]])

    assert preview["tasks"][0]["lead"][0]["agency"] == "Sở Thông tin và Truyền thông"
    assert preview["issues"][0]["message"] == (
        "Đã hiểu đơn vị chủ trì «Sở Thông tin và Truyền thôg» là «Sở Thông tin và Truyền thông» (gần đúng)."
    )


def test_preview_issues_are_sorted_by_row_errors_first():
    preview = _preview([["1", "Rà soát", "", "", ""], ["2", None, "Sở Nội vụ", "", "Năm 2024"]])

    assert [(i["row"], i["level"]) for i in preview["issues"]] == [
        (2, "warning"),
        (2, "warning"),
        (3, "error"),
    ]
