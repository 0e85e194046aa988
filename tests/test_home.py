"""The home page per role: what a focal point, a provincial admin and a leader see first, each
figure against the data and against the list it links to, in a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import AgencyKind, Role
from plans.models import AppendixImport, ImportStatus
from reports.dashboards import LATE_TASKS_SHOWN
from reports.home import current_quarter
from reports.summary import agency_rows, plans_in_scope
from tasks.handover import hand_over
from tasks.models import (
    AssignmentRole,
    ExtensionRequest,
    Notification,
    NotificationKind,
    Task,
    TaskStatus,
    TaskUpdate,
)
from tests.factories import AgencyFactory, AssignmentFactory, TaskFactory, UserFactory, change_periods

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def owed(plan, *agencies, role=AssignmentRole.LEAD, due=None, **fields):
    """A task of ``plan`` assigned to ``agencies`` in ``role``, judged against ``due``."""
    task = TaskFactory(plan=plan, due_override=due, **fields)
    for agency in agencies:
        AssignmentFactory(task=task, agency=agency, role=role)
    return task


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def queries_of(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # the session and the caches warmed up
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    return len(captured)


def late_tasks(client, row):
    """The overdue tasks a row of the late-agency panel shows once opened (loaded by htmx)."""
    response = client.get(f'{reverse("reports:late_tasks")}?{row["tasks_query"]}')
    assert response.status_code == 200
    return response


def figure(response, figure_id):
    """The number a figure card shows, as rendered."""
    card = response.text.split(f'id="{figure_id}"', 1)[1]
    return int(re.search(r"data-figure>(\d+)<", card).group(1))


# Focal point -------------------------------------------------------------------------------------


@pytest.fixture
def focal_work(plan, lead_agency, lead_focal_point):
    """Sở Nội vụ's work: one of each figure, and work that is none of them."""
    other = AgencyFactory(province=plan.province, name="Sở Tài chính")
    work = {
        "due_14": owed(plan, lead_agency, due=days(10)),
        "overdue": owed(plan, lead_agency, due=days(-5), status=TaskStatus.IN_PROGRESS),
        "returned": owed(plan, lead_agency, due=days(60), status=TaskStatus.RETURNED),
        "awaiting_contribution": owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, due=days(30)),
    }
    contributed = owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, due=days(30))
    TaskUpdate.objects.create(task=contributed, author=lead_focal_point, agency=lead_agency,
                              kind=TaskUpdate.Kind.CONTRIBUTION, done="Đã góp ý dự thảo")
    owed(plan, lead_agency, due=days(20))  # due, but not within 14 days
    owed(plan, lead_agency, due=days(-40), status=TaskStatus.COMPLETED, completed_on=days(-50))
    owed(plan, other, due=days(-5))  # another agency's
    owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, due=days(-3), status=TaskStatus.COMPLETED,
         completed_on=days(-4))  # coordinated, but done
    for read in (None, None, timezone.now()):
        Notification.objects.create(recipient=lead_focal_point, kind=NotificationKind.ASSIGNED,
                                    task=work["overdue"], read_at=read)
    return work


def test_focal_point_sees_its_agency_work_by_what_to_do(client, lead_focal_point, focal_work):
    response = home(client, lead_focal_point)

    assert response.context["role_home"] == "focal_point"
    assert response.context["work"] == {"due_14": 1, "overdue": 1, "returned": 1, "awaiting_contribution": 1}
    assert figure(response, "unread-notifications") == 2
    assert "Đến hạn trong 14 ngày tới" in response.text
    assert "Chờ ý kiến phối hợp của đơn vị" in response.text


@pytest.mark.parametrize("status", ["due_14", "overdue", "returned", "awaiting_contribution"])
def test_each_focal_point_figure_links_to_the_list_of_those_items(client, lead_focal_point, focal_work,
                                                                  status):
    shown = figure(home(client, lead_focal_point), status.replace("_", "-"))
    href = f'{reverse("tasks:mine")}?status={status}'
    assert f'href="{href}"' in home(client, lead_focal_point).text

    listed = client.get(href)

    assert [item.task for item in listed.context["items"]] == [focal_work[status]]
    assert listed.context["page"].paginator.count == shown == 1


def test_periods_await_a_contribution_sent_since_the_period_before_fell_due(
    client, plan, lead_agency, lead_focal_point
):
    recurring = owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, deadline_text="Hằng quý")
    periods = list(recurring.occurrences.order_by("due"))
    assert len(periods) >= 3
    contribution = TaskUpdate.objects.create(task=recurring, author=lead_focal_point, agency=lead_agency,
                                             kind=TaskUpdate.Kind.CONTRIBUTION, done="Ý kiến quý I")
    # Sent just after the first period fell due: it serves the first period and the second.
    sent = timezone.make_aware(datetime.datetime.combine(periods[0].due + datetime.timedelta(days=1),
                                                         datetime.time(9)))
    TaskUpdate.objects.filter(pk=contribution.pk).update(created_at=sent)

    response = home(client, lead_focal_point)
    listed = client.get(reverse("tasks:mine"), {"status": "awaiting_contribution"})

    awaited = [item.occurrence for item in listed.context["items"]]
    assert sorted(awaited, key=lambda o: o.due) == periods[2:]
    assert response.context["work"]["awaiting_contribution"] == len(periods) - 2


def test_focal_point_home_costs_the_same_queries_with_more_work(client, plan, lead_agency, lead_focal_point,
                                                                focal_work, django_assert_num_queries):
    expected = queries_of(client, lead_focal_point)
    for n in range(10):
        status = TaskStatus.RETURNED if n % 3 else TaskStatus.NOT_STARTED
        owed(plan, lead_agency, due=days(n - 5), status=status)
        owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, due=days(n))
    owed(plan, lead_agency, role=AssignmentRole.COORDINATOR, deadline_text="Hằng quý")

    with django_assert_num_queries(expected):
        client.get(reverse("home"))


# Provincial admin --------------------------------------------------------------------------------


def _import(province, status, age_days=0):
    record = AppendixImport.objects.create(province=province, reference_date=TODAY, file="private/a.xlsx",
                                           original_name=f"phu-luc-{status}-{age_days}.xlsx", status=status)
    AppendixImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(
        days=age_days))
    return record


def _sent(task, user, days_ago, kind=TaskUpdate.Kind.REPORT):
    update = TaskUpdate.objects.create(task=task, author=user, agency=user.agency, kind=kind, done="Báo cáo")
    when = timezone.now() - datetime.timedelta(days=days_ago)
    TaskUpdate.objects.filter(pk=update.pk).update(created_at=when)


@pytest.fixture
def admin_work(plan, lead_agency, lead_focal_point, province_admin):
    province = plan.province
    reported = owed(plan, lead_agency, due=days(10), status=TaskStatus.AWAITING_ACCEPTANCE,
                    completed_on=days(-1))
    recurring = owed(plan, lead_agency, deadline_text="Hằng quý")
    change_periods(recurring.occurrences.order_by("due")[:1],
                   status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=days(-2))
    ExtensionRequest.objects.create(task=reported, requested_by=lead_focal_point, agency=lead_agency,
                                    original_due=days(10), proposed_due=days(40), reason="Chờ ý kiến Bộ")
    dissolved = AgencyFactory(province=province, name="UBND huyện Tháp Mười", kind=AgencyKind.DISTRICT,
                              active_until=datetime.date(2025, 6, 30))
    owed(plan, dissolved, due=days(-20))  # orphaned
    TaskFactory(plan=plan, deadline_text="Sớm nhất có thể")  # unreadable, and led by nobody
    _import(province, ImportStatus.READING)
    _import(province, ImportStatus.PREVIEWED, age_days=3)
    _import(province, ImportStatus.FAILED, age_days=5)
    _import(province, ImportStatus.FAILED, age_days=45)  # too old to show
    _import(province, ImportStatus.DONE)

    # Who has sent something: Sở Nội vụ (5 days ago). Silent: Sở Tài chính (40 days ago), Sở Y tế
    # (never), and the group's member Sở Xây dựng; not the group itself, not an agency whose work is done.
    _sent(recurring, lead_focal_point, 5)
    finance = AgencyFactory(province=province, name="Sở Tài chính")
    health = AgencyFactory(province=province, name="Sở Y tế")
    building = AgencyFactory(province=province, name="Sở Xây dựng")
    done_agency = AgencyFactory(province=province, name="Sở Tư pháp")
    group = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    group.members.add(building)
    finance_task = owed(plan, finance, due=days(30))
    _sent(finance_task, UserFactory(province=province, agency=finance), 40)
    owed(plan, health, role=AssignmentRole.COORDINATOR, due=days(30))
    owed(plan, group, due=days(30))
    owed(plan, done_agency, due=days(-30), status=TaskStatus.COMPLETED, completed_on=days(-31))
    return {"finance": finance, "health": health, "building": building, "group": group}


def test_admin_sees_what_waits_for_them(client, province_admin, admin_work):
    response = home(client, province_admin)
    context = response.context

    assert context["role_home"] == "admin"
    assert context["awaiting_acceptance_count"] == figure(response, "awaiting-acceptance") == 2
    assert context["extension_count"] == figure(response, "extension-requests") == 1
    assert context["orphaned_count"] == figure(response, "orphaned-work") == 1
    assert context["unknown_deadline_count"] == figure(response, "unknown-deadlines") == 1
    assert [i.status for i in context["imports"]] == ["reading", "previewed", "failed"]
    assert figure(response, "imports") == 3
    silent = {agency.name: agency.last_sent for agency in context["silent_agencies"]}
    assert set(silent) == {"Sở Tài chính", "Sở Y tế", "Sở Xây dựng"}
    assert silent["Sở Y tế"] is None and timezone.localtime(silent["Sở Tài chính"]).date() == days(-40)
    assert figure(response, "silent") == 3
    assert "chưa gửi báo cáo lần nào" in response.text
    assert f"gửi lần gần nhất ngày {days(-40):%d/%m/%Y}" in response.text


def test_an_agency_whose_work_was_handed_over_is_not_the_one_silent(client, province_admin, plan):
    former = AgencyFactory(province=plan.province, name="UBND huyện Cao Lãnh")
    taking_over = AgencyFactory(province=plan.province, name="UBND xã Mỹ Thọ")
    task = owed(plan, former, due=days(30))
    hand_over(Task.objects.filter(pk=task.pk), from_agency=former, to_agencies=[taking_over],
              role=AssignmentRole.LEAD, decision="Quyết định 1/QĐ-UBND", effective_on=days(-10))

    silent = {agency.name for agency in home(client, province_admin).context["silent_agencies"]}

    assert silent == {"UBND xã Mỹ Thọ"}


def test_admin_figures_lead_to_lists_of_as_many(client, province_admin, admin_work):
    response = home(client, province_admin)
    review = client.get(reverse("tasks:review_queue"))
    orphaned = client.get(reverse("tasks:list"), {"orphaned": "on"})
    undated = client.get(reverse("tasks:list"), {"needs_date": "on"})

    assert review.context["page"].paginator.count == figure(response, "awaiting-acceptance")
    assert review.context["extensions"].paginator.count == figure(response, "extension-requests")
    assert orphaned.context["table"].paginator.count == figure(response, "orphaned-work")
    assert undated.context["table"].paginator.count == figure(response, "unknown-deadlines")
    for item in response.context["imports"]:
        assert f'href="{item.get_absolute_url()}"' in response.text


def test_a_report_in_the_last_30_days_takes_an_agency_off_the_silent_list(client, province_admin,
                                                                          admin_work):
    finance = admin_work["finance"]
    author = UserFactory(province=finance.province, agency=finance)
    _sent(Task.objects.for_agency(finance).first(), author, 29, kind=TaskUpdate.Kind.CONTRIBUTION)

    silent = {agency.name for agency in home(client, province_admin).context["silent_agencies"]}

    assert silent == {"Sở Y tế", "Sở Xây dựng"}


def test_admin_home_costs_the_same_queries_with_more_data(client, plan, province_admin, admin_work,
                                                          lead_focal_point, django_assert_num_queries):
    expected = queries_of(client, province_admin)
    for n in range(8):
        agency = AgencyFactory(province=plan.province)
        task = owed(plan, agency, due=days(n), status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=days(-1))
        _sent(task, UserFactory(province=plan.province, agency=agency), 40 + n)
        _import(plan.province, ImportStatus.FAILED, age_days=n)
        dissolved = AgencyFactory(province=plan.province, active_until=datetime.date(2025, 1, 1))
        owed(plan, dissolved, due=days(-n))

    with django_assert_num_queries(expected):
        client.get(reverse("home"))


# Leader ------------------------------------------------------------------------------------------


@pytest.fixture
def late_work(plan):
    """Three agencies with overdue work, and what each should show, computed by hand below."""
    province = plan.province
    x = AgencyFactory(province=province, name="Sở Xây dựng")
    y = AgencyFactory(province=province, name="Sở Y tế")
    z = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    merged = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                           active_until=datetime.date(2025, 2, 28), successor=z)
    tasks = [
        owed(plan, x, due=days(-10), status=TaskStatus.IN_PROGRESS),
        owed(plan, x, due=days(-3)),
        owed(plan, x, due=days(5)),
        owed(plan, x, due=days(-60), status=TaskStatus.COMPLETED, completed_on=days(-55)),
        owed(plan, y, due=days(-30)),
        # Reported complete in time: awaits acceptance, not overdue.
        owed(plan, y, due=days(-20), status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=days(-40)),
        # Reported complete after its due date: overdue and awaiting acceptance.
        owed(plan, y, due=days(-15), status=TaskStatus.AWAITING_ACCEPTANCE, completed_on=days(-5)),
        owed(plan, merged, z, due=days(-7)),  # two leads, one agency answering: counted once
        owed(plan, merged, due=days(-50)),  # the merged department's work is its successor's
        owed(plan, z, due=days(-90), status=TaskStatus.CANCELLED),
    ]
    return {"x": x, "y": y, "z": z, "merged": merged, "tasks": tasks}


def hand_computed(late_work):
    """Per agency answering today: the days overdue of each overdue task and the tasks awaiting
    acceptance, from the tasks' own dates (not from the portal's state annotations)."""
    office = {late_work["merged"].pk: late_work["z"]}
    panel = {}
    for task in late_work["tasks"]:
        due = task.due_override
        in_time = task.status == TaskStatus.AWAITING_ACCEPTANCE and task.completed_on <= due
        late = due < TODAY and task.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED) and not in_time
        for agency in {office.get(a.agency_id, a.agency) for a in task.assignments.all()}:
            row = panel.setdefault(agency.name, {"days": [], "awaiting": 0})
            if late:
                row["days"].append((TODAY - due).days)
            row["awaiting"] += task.status == TaskStatus.AWAITING_ACCEPTANCE
    return {name: (len(row["days"]), max(row["days"], default=0), sum(row["days"]), row["awaiting"])
            for name, row in panel.items() if row["days"] or row["awaiting"]}


def test_late_agency_panel_against_the_tasks_due_dates(client, leader, late_work):
    expected = hand_computed(late_work)
    assert expected == {"Sở Khoa học và Công nghệ": (2, 50, 57, 0), "Sở Y tế": (2, 30, 45, 2),
                        "Sở Xây dựng": (2, 10, 13, 0)}

    late = home(client, leader).context["late"]

    assert [(row["agency"], (row["overdue"], row["longest"], row["total_days"], row["awaiting"]))
            for row in late] == sorted(expected.items(), key=lambda item: (-item[1][0], -item[1][2]))
    for row in late:
        tasks = late_tasks(client, row).context["tasks"]
        assert sum(task["days_overdue"] for task in tasks) == row["total_days"]
        assert row["answering"] and not row["is_group"]


def test_the_panel_agrees_with_the_reports_agency_rows(client, leader, late_work):
    rows = agency_rows(Task.objects.filter(plan__in=plans_in_scope(leader.province)).with_state(TODAY), TODAY)
    late = home(client, leader).context["late"]

    reported = {row["agency"]: (row["overdue"], row["awaiting_acceptance"]) for row in rows
                if row["overdue"] or row["awaiting_acceptance"]}
    assert {row["agency"]: (row["overdue"], row["awaiting"]) for row in late} == reported


def test_each_panel_row_opens_that_agencys_overdue_tasks_with_days(client, leader, late_work):
    response = home(client, leader)

    for row in response.context["late"]:
        href = f'{reverse("tasks:list")}?agency={row["agency_id"]}&amp;role=lead&amp;state=overdue'
        assert f'href="{href}"' in response.text
        listed = client.get(reverse("tasks:list"), {"agency": row["agency_id"], "role": "lead",
                                                    "state": "overdue"})
        records = listed.context["table"].page.object_list
        assert len(records) == row["overdue"]
        assert sorted((TODAY - r.record.due_on).days for r in records) == sorted(
            task["days_overdue"] for task in late_tasks(client, row).context["tasks"])
    y = next(row for row in response.context["late"] if row["agency_id"] == late_work["y"].pk)
    y_tasks = late_tasks(client, y).text
    assert "quá hạn 30 ngày" in y_tasks and "quá hạn 15 ngày" in y_tasks
    assert f"hạn {days(-30):%d/%m/%Y}" in y_tasks


def test_a_row_loads_its_tasks_when_opened_not_with_the_page(client, leader, late_work):
    response = home(client, leader)

    assert 'class="late-task ' not in response.text
    for row in response.context["late"]:
        assert f'hx-get="{reverse("reports:late_tasks")}?{escape(row["tasks_query"])}"' in response.text


def test_a_rows_tasks_cost_the_same_queries_with_more_overdue_work(client, leader, plan, late_work,
                                                                   django_assert_num_queries):
    client.force_login(leader)
    row = {"tasks_query": f'agency=Sở+Xây+dựng&agency_id={late_work["x"].pk}'}
    late_tasks(client, row)
    with CaptureQueriesContext(connection) as captured:
        late_tasks(client, row)
    for n in range(12):
        owed(plan, late_work["x"], due=days(-n - 100))

    with django_assert_num_queries(len(captured)):
        assert len(late_tasks(client, row).context["tasks"]) == LATE_TASKS_SHOWN


@pytest.mark.parametrize("query", ["", "agency_id=1", "agency=S%E1%BB%9F+Y+t%E1%BA%BF&agency_id=abc",
                                   "agency=S%E1%BB%9F+Y+t%E1%BA%BF&agency_id=-3", "agency=" + "x" * 300])
def test_a_late_agency_that_cannot_be_read_is_refused_with_a_message(client, leader, query):
    client.force_login(leader)

    response = client.get(f'{reverse("reports:late_tasks")}?{query}')

    assert response.status_code == 400
    assert "Không đọc được đơn vị chậm tiến độ" in response.content.decode()


def test_a_row_of_another_province_lists_nothing(client, other_province, late_work):
    client.force_login(UserFactory(province=other_province, role=Role.LEADER, agency=None))

    response = late_tasks(client, {"tasks_query": f'agency=Sở+Y+tế&agency_id={late_work["y"].pk}'})

    assert response.context["tasks"] == []


def test_a_focal_point_cannot_read_the_panels_tasks(client, lead_focal_point, late_work):
    client.force_login(lead_focal_point)

    response = client.get(reverse("reports:late_tasks"),
                          {"agency": "Sở Y tế", "agency_id": late_work["y"].pk})

    assert response.status_code == 403


def test_a_recurring_task_is_late_from_its_earliest_overdue_period(client, leader, plan, late_work):
    recurring = owed(plan, late_work["x"], deadline_text="Hằng quý")
    periods = list(recurring.occurrences.order_by("due"))
    change_periods(periods[:1], status=TaskStatus.COMPLETED, completed_on=periods[0].due)
    earliest_open = periods[1].due

    row = next(row for row in home(client, leader).context["late"] if row["agency_id"] == late_work["x"].pk)

    task = next(task for task in late_tasks(client, row).context["tasks"] if task["pk"] == recurring.pk)
    assert task["days_overdue"] == (TODAY - earliest_open).days
    assert task["overdue_periods"] == len(periods) - 1
    assert (row["overdue"], row["longest"], row["total_days"]) == (
        3, (TODAY - earliest_open).days, 13 + (TODAY - earliest_open).days)


def test_a_group_and_a_dissolved_lead_keep_their_own_rows(client, leader, plan):
    group = AgencyFactory(province=plan.province, name="UBND các xã, phường", kind=AgencyKind.COMMUNE_GROUP)
    dissolved = AgencyFactory(province=plan.province, name="UBND cấp huyện", kind=AgencyKind.GROUP,
                              active_until=datetime.date(2025, 6, 30))
    owed(plan, group, due=days(-4))
    owed(plan, dissolved, due=days(-9))

    late = {row["agency"]: row for row in home(client, leader).context["late"]}

    assert late["UBND các xã, phường"]["is_group"] and late["UBND các xã, phường"]["answering"]
    assert not late["UBND cấp huyện"]["answering"]
    assert late["UBND cấp huyện"]["total_days"] == 9


def test_leader_sees_this_quarter_and_the_last_as_the_province_overview_counts_them(client, leader,
                                                                                     late_work):
    response = home(client, leader)
    glances = response.context["periods"]

    assert [g.period for g in glances] == [current_quarter(TODAY), current_quarter(TODAY).previous()]
    for glance in glances:
        overview = client.get(reverse("reports:overview"), {"period": glance.period.code})
        totals = overview.context["summary"]["totals"]
        assert glance.as_of == overview.context["as_of"]
        assert (glance.totals["done_on_time"], glance.totals["done_late"], glance.within_deadline,
                glance.totals["overdue"], glance.totals["completion_rate"]) == (
            totals["done_on_time"], totals["done_late"], totals["in_progress"] + totals["not_started"],
            totals["overdue"], totals["completion_rate"])
        assert f'href="{reverse("reports:overview")}?period={glance.period.code}"' in response.text
    assert glances[0].totals["overdue"] == 6  # every overdue task of late_work, judged today


def test_leader_home_costs_the_same_queries_with_more_data(client, leader, plan, late_work,
                                                           django_assert_num_queries):
    expected = queries_of(client, leader)
    for n in range(8):
        agency = AgencyFactory(province=plan.province)
        owed(plan, agency, due=days(-n - 1))
        owed(plan, agency, late_work["x"], due=days(-n - 20), status=TaskStatus.AWAITING_ACCEPTANCE,
             completed_on=days(-1))
    owed(plan, late_work["y"], deadline_text="Hằng quý")

    with django_assert_num_queries(expected):
        client.get(reverse("home"))


def test_another_provinces_leader_sees_none_of_it(client, other_province, late_work):
    leader = UserFactory(province=other_province, role=Role.LEADER, agency=None)

    response = home(client, leader)

    assert response.context["late"] == []
    assert all(g.totals["total"] == 0 for g in response.context["periods"])


def test_each_agency_lists_its_longest_overdue_and_says_the_task_list_has_the_rest(
        client, leader, late_work, monkeypatch):
    monkeypatch.setattr("reports.dashboards.LATE_TASKS_SHOWN", 1)

    response = home(client, leader)

    y = next(row for row in response.context["late"] if row["agency_id"] == late_work["y"].pk)
    shown = late_tasks(client, y).context["tasks"]
    assert y["overdue"] == 2 and [task["days_overdue"] for task in shown] == [30]
    y_row = response.text.split(f'data-agency-id="{late_work["y"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Chỉ liệt kê 1 nhiệm vụ quá hạn lâu nhất" in y_row
