"""Committing an import: re-imports update instead of duplicating, history is never lost, one transaction."""

import datetime
import gc
from unittest import mock

import pytest
from django.db import IntegrityError

import plans.import_commit
import plans.importing
from agencies.models import AgencyAlias
from plans.import_commit import MentionChoice, commit_import
from plans.importing import build_import_preview
from plans.models import Plan
from tasks.handover import hand_over
from tasks.models import Occurrence, Task, TaskAssignment, TaskStatus, TaskUpdate
from tests.factories import AgencyFactory, PlanFactory
from tests.plans.import_helpers import HEADER, table_counts, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    ["1", "Rà soát quy chế làm việc", "Sở Nội vụ", "Sở Tài chính", "Năm 2024", "Quyết định"],
    ["2", "Tổ chức tập huấn chuyển đổi số", "Sở Tài chính", "", "Quý III/2024", "Báo cáo"],
    ["II", "TRUYỀN THÔNG"],
    ["1", "Tuyên truyền trên báo, đài", "Sở Nội vụ", "", "Thường xuyên", ""],
]


@pytest.fixture
def catalogue(province, lead_agency):
    return {"Sở Nội vụ": lead_agency, "Sở Tài chính": AgencyFactory(province=province, name="Sở Tài chính")}


def preview_of(plan, rows):
    return build_import_preview(plan.province, xlsx_bytes(rows), "phu-luc.xlsx", plan.reference_date)


def run_import(plan, rows, **kwargs):
    return commit_import(plan.province, preview_of(plan, rows), plan=plan, source="phu-luc.xlsx", **kwargs)[1]


def titles(plan):
    return {task.code: task.title for task in plan.tasks.all()}


def test_first_import_creates_everything(plan, catalogue):
    result = run_import(plan, ROWS)

    assert result["created"] == 3
    assert titles(plan) == {
        "I.1": "Rà soát quy chế làm việc",
        "I.2": "Tổ chức tập huấn chuyển đổi số",
        "II.1": "Tuyên truyền trên báo, đài",
    }
    assert list(plan.sections.values_list("code", "title")) == [
        ("I", "CÔNG TÁC CHỈ ĐẠO"),
        ("II", "TRUYỀN THÔNG"),
    ]


def test_reimporting_the_same_file_changes_nothing(plan, catalogue):
    run_import(plan, ROWS)
    before = {task.pk: task.updated_at for task in plan.tasks.all()}
    counts = table_counts()

    result = run_import(plan, ROWS)

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 3)
    assert {task.pk: task.updated_at for task in plan.tasks.all()} == before
    assert table_counts() == counts


def test_corrected_file_updates_the_tasks_in_place(plan, catalogue):
    run_import(plan, ROWS)
    pks = {task.code: task.pk for task in plan.tasks.all()}
    corrected = [row[:] for row in ROWS]
    corrected[2][4] = "Quý II/2024"  # I.1: new deadline
    corrected[3][2] = "Sở Nội vụ"  # I.2: another lead

    result = run_import(plan, corrected)

    first = Task.objects.get(pk=pks["I.1"])
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 2, 1)
    assert (first.deadline_text, first.deadline_due) == ("Quý II/2024", datetime.date(2024, 6, 30))
    assert TaskAssignment.objects.get(task_id=pks["I.2"], role="lead").agency == catalogue["Sở Nội vụ"]
    history = TaskUpdate.objects.filter(task_id=pks["I.1"], changes__has_key="deadline_text").get()
    assert history.changes["deadline_text"] == ["Năm 2024", "Quý II/2024"]


def test_updated_task_version_is_raised(plan, catalogue):
    run_import(plan, ROWS)
    corrected = [row[:] for row in ROWS]
    corrected[2][1] = "Rà soát quy chế làm việc của UBND tỉnh"

    run_import(plan, corrected)

    assert sorted(plan.tasks.values_list("code", "version")) == [("I.1", 2), ("I.2", 1), ("II.1", 1)]


def test_renumbered_rows_match_by_title_instead_of_duplicating(plan, catalogue):
    run_import(plan, ROWS)
    pks = {task.title: task.pk for task in plan.tasks.all()}
    renumbered = [ROWS[0], ROWS[1], ["1", "Ban hành kế hoạch", "Sở Nội vụ", "", "Năm 2024", ""]]
    renumbered += [[str(int(row[0]) + 1), *row[1:]] for row in ROWS[2:4]] + ROWS[4:]

    result = run_import(plan, renumbered)

    assert (result["created"], result["deleted"]) == (1, 0)
    assert Task.objects.get(pk=pks["Rà soát quy chế làm việc"]).code == "I.2"
    assert Task.objects.get(pk=pks["Tổ chức tập huấn chuyển đổi số"]).code == "I.3"


def test_a_title_with_a_typo_fixed_still_matches(plan, catalogue):
    run_import(plan, ROWS)
    pk = plan.tasks.get(code="I.2").pk
    fixed = [row[:] for row in ROWS]
    fixed[3][0] = "3"
    fixed[3][1] = "Tổ chức tập huấn chuyển đổi sổ"

    result = run_import(plan, fixed)

    assert result["created"] == 0
    assert Task.objects.get(pk=pk).code == "I.3"


def test_reimporting_keeps_a_hand_over_and_the_printed_words(plan, catalogue):
    run_import(plan, ROWS)
    task = plan.tasks.get(code="I.1")
    hand_over(Task.objects.filter(pk=task.pk), from_agency=catalogue["Sở Nội vụ"],
              to_agencies=[catalogue["Sở Tài chính"]], role="lead", decision="Quyết định số 1/QĐ-UBND",
              effective_on=datetime.date(2025, 7, 1))

    run_import(plan, ROWS)

    assignments = task.assignments.filter(role="lead").order_by("position")
    assert [(a.mention, a.active_until, a.active_from) for a in assignments] == [
        ("Sở Nội vụ", datetime.date(2025, 6, 30), None),
        ("Sở Tài chính", None, datetime.date(2025, 7, 1)),
    ]


def test_task_no_longer_in_the_file_is_deleted(plan, catalogue):
    run_import(plan, ROWS)

    result = run_import(plan, ROWS[:3] + ROWS[4:])

    assert result["deleted"] == 1
    assert set(titles(plan)) == {"I.1", "II.1"}


@pytest.mark.parametrize("work", ["report", "occurrence", "status"])
def test_task_someone_worked_on_is_kept_and_reported(plan, catalogue, work):
    run_import(plan, ROWS)
    task = plan.tasks.get(code="I.2")
    if work == "report":
        TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.REPORT, note="Đã tổ chức 2 lớp")
    elif work == "occurrence":
        Occurrence.objects.create(
            task=task, due=datetime.date(2024, 9, 30), purpose="recurrence", status=TaskStatus.IN_PROGRESS
        )
    else:
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)

    result = run_import(plan, ROWS[:3] + ROWS[4:])

    assert Task.objects.filter(pk=task.pk).exists()
    assert (result["deleted"], result["kept"]) == (0, 1)
    assert result["kept_tasks"] == [{"code": "I.2", "title": "Tổ chức tập huấn chuyển đổi số"}]


def test_sub_items_get_their_parent_and_section(plan, catalogue):
    rows = [
        HEADER,
        ["I", "THỂ CHẾ"],
        ["1", "Xây dựng quy chế", "Sở Nội vụ", "", "Năm 2024", ""],
        ["a)", "Dự thảo quy chế", "Sở Nội vụ", "", "Quý II/2024", ""],
        ["b)", "Lấy ý kiến", "Sở Nội vụ", "Sở Tài chính", "Quý III/2024", ""],
    ]

    run_import(plan, rows)

    tasks = {task.code: task for task in plan.tasks.select_related("parent", "section")}
    assert sorted(tasks) == ["I.1", "I.1.a", "I.1.b"]
    assert tasks["I.1.a"].parent == tasks["I.1"] and tasks["I.1.b"].parent == tasks["I.1"]
    assert {task.section.code for task in tasks.values()} == {"I"}


def test_a_parent_leaving_the_file_does_not_take_its_kept_child(plan, catalogue):
    rows = [
        HEADER,
        ["1", "Xây dựng quy chế", "Sở Nội vụ", "", "Năm 2024", ""],
        ["1.1", "Dự thảo quy chế", "Sở Nội vụ", "", "Quý II/2024", ""],
    ]
    run_import(plan, rows)
    child = plan.tasks.get(code="1.1")
    assert child.parent.code == "1"

    run_import(plan, [HEADER, ["1", "Dự thảo quy chế", "Sở Nội vụ", "", "Quý II/2024", ""]])

    assert Task.objects.get(pk=child.pk).code == "1"  # matched by title, its old parent deleted


def test_a_number_printed_twice_is_saved_under_two_codes(plan, catalogue):
    rows = [
        HEADER,
        ["1", "Rà soát", "Sở Nội vụ", "", "Năm 2024", ""],
        ["1", "Kiện toàn", "Sở Nội vụ", "", "", ""],
    ]

    run_import(plan, rows)

    assert titles(plan) == {"1": "Rà soát", "1-2": "Kiện toàn"}


def test_mapping_becomes_an_alias_recognised_next_time(plan, catalogue):
    rows = [HEADER, ["1", "Rà soát", "Sở NV tỉnh", "", "Năm 2024", ""]]
    preview = preview_of(plan, rows)
    assert preview["tasks"][0]["lead"][0]["agency"] is None

    commit_import(
        plan.province,
        preview,
        plan=plan,
        choices={"Sở NV tỉnh": MentionChoice("agency", catalogue["Sở Nội vụ"].pk)},
    )

    assert AgencyAlias.objects.filter(name="Sở NV tỉnh", agency=catalogue["Sở Nội vụ"]).exists()
    assert preview_of(plan, rows)["tasks"][0]["lead"][0]["agency"] == "Sở Nội vụ"


def test_a_failed_commit_writes_nothing(plan, catalogue):
    preview = preview_of(plan, [*ROWS, ["2", "Phối hợp", "Bộ Tư pháp", "", "Năm 2024", ""]])
    before = table_counts()

    with (
        mock.patch("plans.import_commit._record_history", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        commit_import(
            plan.province, preview, plan=plan, choices={"Bộ Tư pháp": MentionChoice("create", kind="central")}
        )

    assert table_counts() == before


def test_new_plan_is_created_in_the_province(province, catalogue):
    preview = build_import_preview(province, xlsx_bytes(ROWS), "phu-luc.xlsx", datetime.date(2025, 1, 1))
    fields = {
        "number": "",
        "title": "Kế hoạch mới",
        "issued_on": None,
        "reference_date": datetime.date(2025, 1, 1),
        "issuer": "UBND tỉnh Đồng Tháp",
    }

    plan, result = commit_import(province, preview, new_plan=fields)

    assert Plan.objects.get() == plan and plan.province == province
    assert result["created"] == 3


def test_tasks_of_other_plans_are_untouched(plan, catalogue, province):
    other = PlanFactory(province=province)
    run_import(other, ROWS)

    run_import(plan, ROWS[:3])

    assert other.tasks.count() == 3


def test_swapped_rows_swap_their_codes(plan, catalogue):
    run_import(plan, ROWS)
    pks = {task.title: task.pk for task in plan.tasks.all()}
    swapped = [ROWS[0], ROWS[1], ["1", *ROWS[3][1:]], ["2", *ROWS[2][1:]], *ROWS[4:]]

    result = run_import(plan, swapped)

    assert (result["created"], result["updated"], result["deleted"]) == (0, 2, 0)
    assert Task.objects.get(pk=pks["Rà soát quy chế làm việc"]).code == "I.2"
    assert Task.objects.get(pk=pks["Tổ chức tập huấn chuyển đổi số"]).code == "I.1"


def test_kept_task_gives_its_number_to_the_row_that_now_has_it(plan, catalogue):
    rows = [
        HEADER,
        ["1", "Rà soát", "Sở Nội vụ", "", "Năm 2024", ""],
        ["2", "Kiện toàn", "Sở Nội vụ", "", "", ""],
    ]
    run_import(plan, rows)
    worked = plan.tasks.get(code="2")
    TaskUpdate.objects.create(task=worked, kind=TaskUpdate.Kind.REPORT, note="Đang thực hiện")

    result = run_import(
        plan, [HEADER, ["1", "Tập huấn", "Sở Nội vụ", "", "", ""], ["2", "Rà soát", "Sở Nội vụ", "", "", ""]]
    )

    worked.refresh_from_db()
    assert result["kept"] == 1 and worked.code.startswith("2 (")
    assert titles(plan)["2"] == "Rà soát" and titles(plan)["1"] == "Tập huấn"
    assert worked.updates.filter(kind="import", changes__code__0="2").exists()


def test_text_with_quotes_braces_backslashes_and_line_breaks_is_saved_as_is(plan, catalogue):
    title = 'Ban hành "Quy chế" {số 1}, phần \\a\\; NULL'
    rows = [
        [*HEADER, "Ghi chú", "Kinh phí"],
        ["1", title, "Sở Nội vụ", "Bộ Tư pháp", "Năm 2024", "Quyết định", 'Ưu tiên "1"', "50 triệu"],
    ]

    run_import(plan, rows)

    task = plan.tasks.get()
    assert (task.title, task.notes) == (title, 'Ghi chú: Ưu tiên "1"\nKinh phí: 50 triệu')
    assert TaskUpdate.objects.get(task=task).changes == {}



def _noting_the_collector(function, seen):
    def noted(*args, **kwargs):
        seen.append(gc.isenabled())
        return function(*args, **kwargs)

    return noted


def test_the_preview_and_the_commit_run_with_the_cycle_collector_paused(plan, catalogue, monkeypatch):
    seen = []
    for module, name in ((plans.importing, "parse_appendix"), (plans.import_commit, "_save_sections")):
        monkeypatch.setattr(module, name, _noting_the_collector(getattr(module, name), seen))

    run_import(plan, ROWS)

    assert seen == [False, False]
    assert gc.isenabled()
