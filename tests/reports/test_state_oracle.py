"""Every figure agrees with an independent count.

The expected state of each task is computed here in plain Python from the rules as a clerk states
them, without the portal's state expressions: a record (a task, or one period of a recurring
task) is completed once accepted by the day (or reported complete, where the plan counts that as
completed), on time if by its (extended) due date; cancelled apart; without a due date ongoing or
unscheduled; reported complete by its due date and awaiting acceptance, within its deadline;
otherwise overdue the day after its due date, else not started or in progress. A recurring task is
judged on a day by its current period and every period overdue that day; in a report, by the
periods due within the report period. The portal's ``build_report`` JSON, the plan page, the
province overview and the task list's filters must all say the same.
"""

import datetime
import io
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse

from tasks.models import Occurrence, Task
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CATEGORIES = ("done_on_time", "done_late", "in_progress", "overdue", "not_started", "ongoing")
DEADLINES = ["Quý III/2024", "30/06/2025", "Năm 2025", "Quý I năm 2026", "Hằng quý", "Hằng năm",
             "Định kỳ 6 tháng", "Thường xuyên", "Theo lộ trình của Bộ"]
RECURRING = {"Hằng quý", "Hằng năm", "Định kỳ 6 tháng"}
STATUSES = ["not_started", "in_progress", "awaiting_acceptance", "returned", "completed", "cancelled"]
# (report period, its first day, last day, data cut-off), as Decree 09/2019 sets it.
PERIODS = [("2024", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 14)),
           ("2025-H1", D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 14)),
           ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30), D(2025, 9, 14)),
           ("2026", D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 14))]
DAYS = [D(2024, 6, 30), D(2024, 7, 1), D(2024, 12, 2), D(2024, 12, 14), D(2025, 3, 1), D(2025, 9, 30),
        D(2026, 12, 2), D(2027, 2, 1)]
REPORT_DAYS = [D(2024, 12, 2), D(2025, 9, 1), D(2026, 12, 2), D(2027, 1, 20)]
PAGE_DAYS = [D(2024, 12, 2), D(2025, 9, 30), D(2026, 12, 2)]
MERGED_ON = D(2025, 3, 1)


@dataclass
class Record:
    due: datetime.date | None  # the date judged against: extension, else admin's date, else printed
    status: str
    completed_on: datetime.date | None
    period_due: datetime.date | None = None  # a period's own end, before any extension


def record_state(r, day, awaiting_done, ongoing=False):
    if r.status == "cancelled":
        return "cancelled"
    counted_done = r.status == "completed" or (awaiting_done and r.status == "awaiting_acceptance")
    if counted_done and r.completed_on and r.completed_on <= day:
        return "done_on_time" if r.due is None or r.completed_on <= r.due else "done_late"
    if r.due is None:
        return "ongoing" if ongoing else "unscheduled"
    reported = r.status == "awaiting_acceptance" and r.completed_on and r.completed_on <= day
    if reported and r.completed_on <= r.due:
        return "in_progress"
    if day > r.due:
        return "overdue"
    return "not_started" if r.status == "not_started" else "in_progress"


def combine(periods, day, awaiting_done):
    states = [record_state(p, day, awaiting_done) for p in periods]
    if "overdue" in states:
        return "overdue"
    if all(s in ("done_on_time", "done_late") for s in states):
        return "done_late" if "done_late" in states else "done_on_time"
    return "in_progress" if any(p.status != "not_started" for p in periods) else "not_started"


def current_periods(periods, day):
    """Periods whose time runs over ``day``: after the previous period's end, up to its own
    (extended) due date; past them all, the last."""
    by_end = sorted(periods, key=lambda p: p.period_due)
    current = []
    for index, p in enumerate(by_end):
        previous_end = by_end[index - 1].period_due if index else None
        if (previous_end is None or previous_end < day) and p.due >= day:
            current.append(p)
    return current or by_end[-1:]


def judged_periods(periods, day, awaiting_done, window=None):
    live = [p for p in periods if p.status != "cancelled"]
    if not live:
        return []
    if window is None:
        overdue = [p for p in live if record_state(p, day, awaiting_done) == "overdue"]
        chosen = current_periods(live, day) + overdue
        return list({id(p): p for p in chosen}.values())
    start, end = window
    return [p for p in live if start <= p.period_due <= end] or current_periods(live, day)


def expected_state(task, day, window=None):
    awaiting_done = task["plan_counts_awaiting"]
    if task["recurring"] and task["periods"]:
        if task["row"].status == "cancelled":
            return "cancelled"
        periods = judged_periods(task["periods"], day, awaiting_done, window)
        if periods:
            return combine(periods, day, awaiting_done)
    return record_state(task["row"], day, awaiting_done, ongoing=task["ongoing"])


def expected_awaiting(task, day, window=None):
    """Work reported complete by ``day`` that awaits acceptance: the task, or for a recurring task
    any of its periods (in a report, any period it is judged by)."""
    def waits(r):
        return r.status == "awaiting_acceptance" and r.completed_on is not None and r.completed_on <= day

    if task["recurring"] and task["periods"] and task["row"].status != "cancelled":
        periods = ([p for p in task["periods"] if p.status != "cancelled"] if window is None
                   else judged_periods(task["periods"], day, task["plan_counts_awaiting"], window))
        if periods:
            return any(waits(p) for p in periods)
    return waits(task["row"])


def in_office(agency, day):
    return agency["successor"] if agency["successor"] and agency["until"] < day else agency["name"]


# -- the data ----------------------------------------------------------------------------------


def _random_record(rng, due):
    status = rng.choice(STATUSES)
    completed_on = None
    if status in ("completed", "awaiting_acceptance") and due:
        completed_on = due + datetime.timedelta(days=rng.choice([-40, -1, 0, 1, 15, 90]))
    return status, completed_on


@pytest.fixture(params=[7, 11, 2026])
def generated(request, province):
    """Two plans (one counting work awaiting acceptance as completed) of random tasks of every
    deadline kind, some periods extended, some agencies merged; and their plain-Python copy."""
    rng = random.Random(request.param)
    science = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    ict = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                        active_until=MERGED_ON - datetime.timedelta(days=1), successor=science)
    home = AgencyFactory(province=province, name="Sở Nội vụ")
    agencies = {a.pk: {"name": a.name, "successor": a.successor.name if a.successor else None,
                       "until": a.active_until} for a in (science, ict, home)}
    tasks = []
    for number, counts_awaiting in (("1/KH-UBND", False), ("2/KH-UBND", True)):
        plan = PlanFactory(province=province, number=number, issued_on=D(2024, 4, 8), end_year=2026,
                           awaiting_counts_as_done=counts_awaiting)
        for index in range(40):
            text = DEADLINES[index % len(DEADLINES)]
            task = TaskFactory(plan=plan, deadline_text=text)
            lead = rng.choice([science, ict, home])
            AssignmentFactory(task=task, agency=lead)
            status, completed_on = _random_record(rng, task.deadline_due)
            if text not in RECURRING and task.deadline_due and rng.random() < 0.2:
                task.due_override = task.deadline_due + datetime.timedelta(days=rng.choice([-30, 45]))
            if text not in RECURRING and task.deadline_due and rng.random() < 0.15:
                task.extended_due = task.deadline_due + datetime.timedelta(days=60)
            task.status, task.completed_on = status, completed_on
            task.save()
            periods = []
            if text in RECURRING:
                for occurrence in task.occurrences.all():
                    occurrence.status, occurrence.completed_on = _random_record(rng, occurrence.due)
                    if rng.random() < 0.15:
                        occurrence.extended_due = occurrence.due + datetime.timedelta(days=20)
                    occurrence.save()
                    periods.append(Record(occurrence.extended_due or occurrence.due, occurrence.status,
                                          occurrence.completed_on, occurrence.due))
            tasks.append({
                "pk": task.pk, "plan": number, "plan_counts_awaiting": counts_awaiting,
                "recurring": text in RECURRING, "ongoing": task.deadline_kind == "ongoing",
                "row": Record(task.extended_due or task.due_override or task.deadline_due, status,
                              completed_on),
                "periods": periods, "lead": agencies[lead.pk],
            })
    return tasks


def expected_counts(tasks, day, window=None):
    states = Counter(expected_state(t, day, window) for t in tasks)
    states.pop("cancelled", None)
    counts = {key: states[key] for key in CATEGORIES if key != "ongoing"}
    counts["ongoing"] = states["ongoing"] + states["unscheduled"]
    return counts


# -- the portal's figures -----------------------------------------------------------------------


# Each test walks every day (and period) over one generated data set: generating it is the cost.


def test_each_task_is_judged_as_the_oracle_judges_it(generated):
    for day in DAYS:
        portal = dict(Task.objects.with_state(day).values_list("pk", "state"))

        assert portal == {t["pk"]: expected_state(t, day) for t in generated}, day


def test_each_period_is_judged_as_the_oracle_judges_it(generated):
    awaiting = {t["pk"]: t["plan_counts_awaiting"] for t in generated}
    for day in DAYS:
        expected = {}
        for occurrence in Occurrence.objects.all():
            record = Record(occurrence.extended_due or occurrence.due, occurrence.status,
                            occurrence.completed_on)
            expected[occurrence.pk] = record_state(record, day, awaiting[occurrence.task_id])

        assert dict(Occurrence.objects.with_state(day).values_list("pk", "state")) == expected, day


def test_build_report_counts_as_the_oracle(generated):
    for (code, start, end, cutoff), day in itertools.product(PERIODS, REPORT_DAYS):
        as_of = min(cutoff, day)
        out = io.StringIO()
        call_command("build_report", "--province", "dong-thap", "--period", code, "--date", day.isoformat(),
                     stdout=out)
        report = json.loads(out.getvalue())

        totals = {key: report["totals"][key] for key in CATEGORIES}
        counted = [t for t in generated if expected_state(t, as_of, (start, end)) != "cancelled"]
        assert report["period"]["as_of"] == as_of.isoformat()
        assert totals == expected_counts(generated, as_of, (start, end)), (code, day)
        assert report["totals"]["total"] == sum(totals.values())
        assert report["totals"]["awaiting_acceptance"] == sum(
            expected_awaiting(t, as_of, (start, end)) for t in counted), (code, day)


def test_agency_rows_count_a_merged_agencys_work_in_its_successors_row(generated):
    for code, start, end, cutoff in PERIODS[1:]:
        out = io.StringIO()
        call_command("build_report", "--province", "dong-thap", "--period", code, stdout=out)
        report = json.loads(out.getvalue())
        rows = {row["agency"]: {key: row[key] for key in CATEGORIES} for row in report["agencies"]}

        expected = {}
        for task in generated:
            state = expected_state(task, cutoff, (start, end))
            if state == "cancelled":
                continue
            row = expected.setdefault(in_office(task["lead"], cutoff), dict.fromkeys(CATEGORIES, 0))
            row["ongoing" if state in ("ongoing", "unscheduled") else state] += 1
        assert rows == expected, code
        assert "Sở Thông tin và Truyền thông" not in rows


def test_plan_page_counts_as_the_oracle(client, province_admin, generated, monkeypatch):
    client.force_login(province_admin)
    plan = Task.objects.get(pk=generated[0]["pk"]).plan
    tasks = [t for t in generated if t["plan"] == plan.number]
    for day in PAGE_DAYS:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, day=day: day)

        counts = client.get(plan.get_absolute_url()).context["counts"]

        expected = expected_counts(tasks, day)
        assert {key: counts[key] for key in CATEGORIES if key != "ongoing"} == {
            key: expected[key] for key in CATEGORIES if key != "ongoing"}, day
        assert counts["ongoing"] + counts["unscheduled"] == expected["ongoing"]
        assert counts["awaiting_acceptance"] == sum(expected_awaiting(t, day) for t in tasks), day


def test_task_list_filters_find_what_the_oracle_counts(client, province_admin, generated, monkeypatch):
    client.force_login(province_admin)
    for day in PAGE_DAYS:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, day=day: day)
        expected = expected_counts(generated, day)
        for state in ("done_on_time", "done_late", "in_progress", "not_started", "overdue"):

            response = client.get(reverse("tasks:list"), {"state": state})

            assert response.context["table"].paginator.count == expected[state], (day, state)


def test_province_overview_counts_as_the_oracle(client, leader, generated, monkeypatch):
    client.force_login(leader)
    for (code, start, end, cutoff), day in itertools.product(PERIODS, PAGE_DAYS):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, day=day: day)

        totals = client.get(reverse("reports:overview"), {"period": code}).context["summary"]["totals"]

        expected = expected_counts(generated, min(cutoff, day), (start, end))
        assert {key: totals[key] for key in CATEGORIES} == expected, (code, day)
