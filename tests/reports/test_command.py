"""The build_report command's contract."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from plans.demo import load_demo

pytestmark = pytest.mark.django_db

CATEGORY_KEYS = ["done_on_time", "done_late", "in_progress", "overdue", "not_started", "ongoing"]
TARGET_ROW_KEYS = ["target_id", "plan", "code", "group", "name", "promise", "unit", "level", "deadline",
                   "due", "agency", "value", "reported_for", "state", "trend", "awaiting"]


@pytest.fixture
def demo():
    load_demo()


def _json(*args):
    out = io.StringIO()
    call_command("build_report", "--province", "dong-thap", *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_has_exactly_the_documented_shape(demo):
    data = _json("--plan", "115/KH-UBND", "--period", "2024", "--format", "json")

    assert list(data) == ["period", "totals", "agencies", "overdue", "targets"]
    assert list(data["targets"]) == ["counts", "rows"]
    assert list(data["targets"]["counts"]) == ["total", "met", "not_met", "not_reported", "awaiting"]
    assert all(list(row) == TARGET_ROW_KEYS for row in data["targets"]["rows"])
    assert list(data["totals"]) == ["total", *CATEGORY_KEYS, "awaiting_acceptance"]
    assert all(list(row) == ["agency", "lead", *CATEGORY_KEYS, "awaiting_acceptance"]
               for row in data["agencies"])
    assert data["overdue"] == []  # on 14/12/2024 nothing of 115/KH-UBND was past due


def test_json_lists_overdue_tasks_with_their_days(demo):
    data = _json("--plan", "115/KH-UBND", "--period", "2025", "--format", "json")

    assert all(list(row) == ["task", "title", "agency", "days_overdue"] for row in data["overdue"])
    assert data["overdue"][0] == {"task": "I.2", "title": data["overdue"][0]["title"],
                                  "agency": "UBND cấp huyện → Sở Nội vụ, từ 01/07/2025", "days_overdue": 348}
    assert "IV.2" not in {row["task"] for row in data["overdue"]}
    assert data["totals"]["total"] == sum(data["totals"][key] for key in CATEGORY_KEYS) == 16


def test_a_report_of_a_period_before_a_hand_over_names_the_former_agency(demo):
    data = _json("--plan", "115/KH-UBND", "--period", "2025-Q1", "--format", "json")

    assert {row["task"]: row["agency"] for row in data["overdue"]}["I.2"] == "UBND cấp huyện"


def test_a_department_merged_away_is_shown_with_the_one_answering_on_the_report_day(demo):
    data = _json("--plan", "115/KH-UBND", "--period", "2025", "--format", "json")

    assert {row["task"]: row["agency"] for row in data["overdue"]}["II.2"] == (
        "Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ, từ 01/03/2025"
    )


def test_province_report_covers_every_plan(demo):
    data = _json("--period", "2025-Q2")

    assert data["totals"]["total"] == 16 + 13
    assert data["period"]["label"] == "Quý II năm 2025"


def test_docx_and_xlsx_are_written_to_a_file(demo, tmp_path):
    call_command("build_report", "--province", "dong-thap", "--plan", "115/KH-UBND", "--period", "2024",
                 "--format", "docx", "--out", str(tmp_path / "r.docx"))
    call_command("build_report", "--province", "dong-thap", "--period", "2024-H1", "--format", "xlsx",
                 "--out", str(tmp_path / "r.xlsx"))

    assert "BÁO CÁO" in [p.text for p in Document(tmp_path / "r.docx").paragraphs]
    assert load_workbook(tmp_path / "r.xlsx")["Theo đơn vị"].freeze_panes == "A2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-Q9"], "--period"),
        (["--period", "2024", "--plan", "999/KH-UBND"], "--plan"),
    ],
)
def test_bad_arguments_are_refused(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", "--province", "dong-thap", *args)


def test_unknown_province_is_refused(db):
    with pytest.raises(CommandError, match="--province"):
        call_command("build_report", "--province", "atlantis", "--period", "2024")
