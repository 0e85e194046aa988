"""The agencies' ranking can include the targets (issue 17, point 4): ``?targets=1`` (a checkbox) adds
each agency's targets met over the targets it answers for (its own, a merged agency's through its
successor, a group's through its members: ``bound_pairs``) and ranks by the on-time rate with targets;
malformed parameters never fail; the number of queries does not grow with the targets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import AgencyKind
from reports import targets as target_figures
from reports.dashboards import ranking
from tasks.states import rate
from tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    TargetFactory,
    TargetReportFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"period": "2025"}


def _done_on_time(plan, agency):
    task = TaskFactory(plan=plan, deadline_text="Quý II năm 2025", status="completed",
                       completed_on=D(2025, 6, 1))
    AssignmentFactory(task=task, agency=agency)


def _target(plan, agency, reached, code):
    """A "≥ 80 %" target reported by ``agency``, its value for the third quarter of 2025 accepted."""
    target = TargetFactory(plan=plan, code=code, value=80, unit="%", reporting_agency=agency)
    TargetReportFactory(target=target, value=reached, period_start=D(2025, 7, 1), period_end=D(2025, 9, 30))
    return target


@pytest.fixture
def agencies(province, plan):
    """Sở Nội vụ and Sở Tài chính each complete one task on time. Sở Nội vụ meets its target; Sở Tài
    chính misses its own and meets the one of Sở Kế hoạch và Đầu tư, merged into it on 1 March 2025;
    Sở Y tế has targets only (one met); every department answers for the group's target (met)."""
    home = AgencyFactory(province=province, name="Sở Nội vụ")
    finance = AgencyFactory(province=province, name="Sở Tài chính")
    planning = AgencyFactory(province=province, name="Sở Kế hoạch và Đầu tư", active_until=D(2025, 2, 28),
                             successor=finance)
    health = AgencyFactory(province=province, name="Sở Y tế")
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.set([home, finance, health])
    _done_on_time(plan, home)
    _done_on_time(plan, finance)
    _target(plan, home, 90, "1")
    _target(plan, finance, 50, "2")
    _target(plan, planning, 85, "3")
    _target(plan, health, 95, "4")
    _target(plan, group, 100, "5")
    TargetFactory(plan=plan, code="6", reporting_agency=None)  # reported by the admin: nobody's
    return {"home": home, "finance": finance, "health": health, "group": group}


def _ranking(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:ranking"), {**PERIOD, **query})


def _ranked(response):
    return [(row["rank"], row["agency"], row["targets_met"], row["targets"], row["score"])
            for row in response.context["ranking"]["ranked"]]


def test_without_the_option_the_ranking_is_the_tasks_one(client, leader, agencies):
    response = _ranking(client, leader)

    assert response.context["with_targets"] is False
    assert [(row["rank"], row["agency"]) for row in response.context["ranking"]["ranked"]] == [
        (1, "Sở Nội vụ"), (1, "Sở Tài chính")]
    assert 'name="targets" value="1">' in response.text  # the checkbox, unticked


def test_with_targets_the_agencies_rank_by_work_done_on_time_and_targets_met(client, leader, agencies):
    response = _ranking(client, leader, targets="1")

    assert response.context["with_targets"] is True
    # Sở Nội vụ: 1 task on time and 2 targets met (its own, the group's) over 1 + 2: 100 %. Sở Y tế: no
    # task, 2 targets met of 2: 100 %, after on the tasks' rate it does not have. Sở Tài chính: 1 task
    # on time, its own target missed, the merged agency's and the group's met: 3 over 4.
    assert _ranked(response) == [(1, "Sở Nội vụ", 2, 2, 100.0), (2, "Sở Y tế", 2, 2, 100.0),
                                 (3, "Sở Tài chính", 2, 3, 75.0)]
    groups = response.context["ranking"]["groups"]
    assert [(row["agency"], row["targets_met"], row["targets"]) for row in groups] == [
        ("Các sở, ban, ngành Tỉnh", 1, 1)]
    page = response.text
    assert 'id="targets-rule"' in page
    assert 'name="targets" value="1" checked' in page


def test_an_agency_ended_before_the_cut_off_is_counted_in_its_successor(client, leader, agencies):
    rows = {row["agency"]: row for row in _ranking(client, leader, targets="1").context["ranking"]["ranked"]}

    assert "Sở Kế hoạch và Đầu tư" not in rows
    assert rows["Sở Tài chính"]["targets"] == 3


@pytest.mark.parametrize("value", ["0", "", "abc", "1' OR 1=1", "\x00", "ｔｒｕｅ", "9" * 500])
def test_anything_but_yes_is_no_and_never_fails(client, leader, agencies, value):
    response = _ranking(client, leader, targets=value)

    assert response.status_code == 200
    assert response.context["with_targets"] is False


@pytest.mark.parametrize("query", [
    {"targets": ["1", "x"]}, {"targets": "TRUE"}, {"targets": " on "},
    {"targets": "1", "period": "Quý IX/2025"}, {"targets": "1", "province": "nowhere"},
])
def test_odd_queries_with_targets_still_answer(client, leader, agencies, query):
    response = _ranking(client, leader, **query)

    assert response.status_code == 200


def test_asked_reads_only_the_checkbox_values():
    assert target_figures.asked({"targets": "1"}) and target_figures.asked({"targets": "On"})
    assert not target_figures.asked({}) and not target_figures.asked({"targets": "2"})


def test_rank_key_with_targets_ties_and_unrated_rows():
    def row(name, come_due, on_time, targets, met, overdue=0):
        values = {"agency": name, "agency_id": None, "come_due": come_due, "come_due_on_time": on_time,
                  "come_due_done": on_time, "overdue": overdue, "targets": targets, "targets_met": met,
                  "on_time_rate": rate(on_time, come_due), "completion_rate": rate(on_time, come_due)}
        return {**values, "score": target_figures.score(values)}

    rows = [row("A", 2, 1, 2, 2), row("B", 2, 2, 2, 1), row("C", 0, 0, 0, 0), row("D", 0, 0, 1, 0),
            row("E", 1, 0, 0, 0, overdue=1)]
    result = ranking(rows, key=target_figures.ranking_key, rated=target_figures.rated)

    # A and B: 3 over 4; B ranks first on its tasks' rate. D: 0 over 1, no task, after E: 0 over 1 too.
    assert [(r["rank"], r["agency"]) for r in result["ranked"]] == [(1, "B"), (2, "A"), (3, "E"), (4, "D")]
    assert [r["agency"] for r in result["not_due"]] == ["C"]


def _queries(run):
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_targets(client, leader, province, plan, count,
                                                django_assert_num_queries):
    agencies = [AgencyFactory(province=province, name=f"Sở {index}") for index in range(3)]
    for agency in agencies:
        _done_on_time(plan, agency)
    client.force_login(leader)
    url = reverse("reports:ranking")
    plain = _queries(lambda: client.get(url, PERIOD))
    for index in range(count):
        _target(plan, agencies[index % 3], 70 + index, f"T{index}")
    _target(plan, AgencyFactory(province=province, name="Sở chỉ có chỉ tiêu"), 90, "only")

    # The ranking's own, the targets and their values (standings()), who answers for their agencies
    # (bound_pairs()), and the name of the agency with targets only.
    with django_assert_num_queries(plain + 4):
        response = client.get(url, {**PERIOD, "targets": "1"})

    assert sum(row["targets"] for row in response.context["ranking"]["ranked"]) == count + 1
