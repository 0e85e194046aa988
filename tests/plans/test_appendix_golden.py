"""Golden test: importing each demo appendix gives exactly its ``*.expected.json``."""

import datetime
import json
from pathlib import Path

import pytest

from agencies.catalog import read_catalog_csv
from agencies.matching import AgencyMatcher
from plans.appendix import read_rows
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
        (task["code"], item) for task in preview["tasks"] for item in task["lead"] + task["coordinators"]
        if item["agency"] is None
    ]
    suggestions = ["UBND cấp huyện", "UBND cấp xã"]
    assert unresolved == [("2", {"mention": "UBND cấp huyện, cấp xã", "agency": None, "suggestions": suggestions})]
