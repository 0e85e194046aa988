"""Urging (đôn đốc): which work the page lists (by agency as it answers today, by plan, by state,
or a selection; never done or cancelled work, never another province's), sending the notice (a
history entry a task, a notification and an e-mail a person, never the author; the days overdue
kept as they were), and the notice's pages."""

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from agencies.models import AgencyKind, Role
from plans.models import PlanStatus
from tasks.models import Notification, NotificationKind, TaskStatus, TaskUpdate, UrgingItem, UrgingNotice
from tasks.permissions import can_urge
from tasks.urging import letter_of
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URGE = reverse("tasks:urge")


def days(n):
    return TODAY + datetime.timedelta(days=n)


def _task(plan, agency, due, code, **fields):
    task = TaskFactory(plan=plan, due_override=due, code=code, title=f"Việc số {code} của kế hoạch", **fields)
    AssignmentFactory(task=task, agency=agency)
    return task


@pytest.fixture
def finance(province):
    return AgencyFactory(province=province, name="Sở Tài chính")


@pytest.fixture
def work(plan, lead_agency, finance):
    """Sở Nội vụ's work on 115/KH-UBND as of today, by what it is; one overdue task of Sở Tài chính."""
    return {
        "overdue": _task(plan, lead_agency, days(-10), code="1"),
        "soon": _task(plan, lead_agency, days(3), code="2"),
        "later": _task(plan, lead_agency, days(30), code="3"),
        "done": _task(plan, lead_agency, days(-10), code="4", status=TaskStatus.COMPLETED,
                      completed_on=days(-20), progress=100),
        "cancelled": _task(plan, lead_agency, days(-10), code="5", status=TaskStatus.CANCELLED),
        "awaiting": _task(plan, lead_agency, days(-10), code="6", status=TaskStatus.AWAITING_ACCEPTANCE,
                          completed_on=days(-2), progress=100),
        "finance": _task(plan, finance, days(-5), code="7"),
    }


@pytest.fixture
def admin_client(client, province_admin):
    client.force_login(province_admin)
    return client


@pytest.fixture
def jobs_run_here(settings):
    """Celery jobs (the urging e-mails) run in the test, not on a broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _listed(response):
    """{agency name: [task codes]} of the page's list."""
    found = response.context["found"]
    return {group.agency: [line.task.code for line in group.lines] for group in found.groups}


def _send(client, query="", items=None, **fields):
    """Send the notice about what ``query`` lists (all of it unless ``items`` are given)."""
    page = client.get(f"{URGE}?{query}")
    keys = items if items is not None else [line.key for line in page.context["found"].lines]
    data = {"item": keys, "subject": "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND",
            "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn An", **fields}
    return client.post(f"{URGE}?{query}", data)


# Which work is listed ------------------------------------------------------------------------------


def test_by_agency_lists_its_open_overdue_and_due_soon_work(admin_client, work, lead_agency):
    response = admin_client.get(URGE, {"agency": lead_agency.pk})

    assert _listed(response) == {"Sở Nội vụ": ["1", "2"]}


def test_overdue_lists_only_work_past_its_due_date(admin_client, work):
    response = admin_client.get(URGE, {"state": "overdue"})

    assert _listed(response) == {"Sở Nội vụ": ["1"], "Sở Tài chính": ["7"]}


def test_due_soon_lists_work_due_within_the_days_given(admin_client, work, plan, lead_agency):
    _task(plan, lead_agency, days(5), code="8")

    response = admin_client.get(URGE, {"state": "due_soon", "days": "4"})

    assert _listed(response) == {"Sở Nội vụ": ["2"]}


def test_due_soon_reaches_seven_days_by_default(admin_client, work, plan, lead_agency):
    _task(plan, lead_agency, days(7), code="8")
    _task(plan, lead_agency, days(8), code="9")

    response = admin_client.get(URGE, {"state": "due_soon"})

    assert _listed(response) == {"Sở Nội vụ": ["2", "8"]}


def test_by_plan_lists_that_plans_work_only(admin_client, work, province, lead_agency):
    other_plan = PlanFactory(province=province, number="53/KH-UBND")
    _task(other_plan, lead_agency, days(-3), code="9")

    response = admin_client.get(URGE, {"plan": other_plan.pk})

    assert _listed(response) == {"Sở Nội vụ": ["9"]}


def test_a_closed_plans_work_is_not_urged(admin_client, work, plan):
    plan.status = PlanStatus.CLOSED
    plan.save()

    response = admin_client.get(URGE)

    assert _listed(response) == {}


def test_a_merged_agencys_work_is_listed_under_the_agency_answering_today(
    admin_client, merged_agency_task, lead_agency
):
    response = admin_client.get(URGE, {"agency": lead_agency.pk})

    assert _listed(response) == {"Sở Nội vụ": [merged_agency_task.code]}


def test_a_group_lead_is_urged_through_its_members(admin_client, province, plan, lead_agency, finance):
    departments = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    departments.members.set([lead_agency, finance])
    _task(plan, departments, days(-1), code="9")

    response = admin_client.get(URGE)

    assert _listed(response) == {"Sở Nội vụ": ["9"], "Sở Tài chính": ["9"]}


def test_after_a_hand_over_the_new_agency_is_urged(admin_client, plan, lead_agency, finance):
    task = _task(plan, lead_agency, days(-4), code="9")
    task.assignments.update(active_until=days(-1))
    AssignmentFactory(task=task, agency=finance, active_from=TODAY)

    response = admin_client.get(URGE)

    assert _listed(response) == {"Sở Tài chính": ["9"]}


def test_work_nobody_answers_for_is_listed_apart(admin_client, plan, province):
    dissolved = AgencyFactory(province=province, name="UBND cấp huyện",
                              active_until=datetime.date(2025, 6, 30))
    task = _task(plan, dissolved, days(-30), code="9")

    response = admin_client.get(URGE)

    assert (_listed(response), response.context["found"].unanswered) == ({}, [task])


def test_a_selection_lists_the_chosen_tasks_that_may_be_urged(admin_client, work):
    chosen = [work[name].pk for name in ("overdue", "later", "done", "cancelled", "finance")]

    response = admin_client.get(URGE, {"task": chosen})

    assert _listed(response) == {"Sở Nội vụ": ["1"], "Sở Tài chính": ["7"]}
    assert "3 nhiệm vụ đã chọn không có trong danh sách" in response.content.decode()


def test_done_cancelled_and_awaiting_work_is_never_listed(admin_client, work):
    chosen = [work[name].pk for name in ("done", "cancelled", "awaiting")]

    response = admin_client.get(URGE, {"task": chosen, "state": "overdue"})

    assert _listed(response) == {}


def test_another_provinces_task_is_not_listed(admin_client, work, other_province):
    foreign = _task(PlanFactory(province=other_province), AgencyFactory(province=other_province),
                    days(-10), code="Q1")

    response = admin_client.get(URGE, {"task": [foreign.pk]})

    assert _listed(response) == {}


def test_another_provinces_task_cannot_be_sent(admin_client, work, other_province):
    agency = AgencyFactory(province=other_province)
    foreign = _task(PlanFactory(province=other_province), agency, days(-10), code="Q1")

    response = _send(admin_client, items=[f"{foreign.pk}-{agency.pk}"])

    assert response.status_code == 200
    assert "không còn đôn đốc được" in response.content.decode()
    assert not UrgingNotice.objects.exists()


def test_malformed_task_ids_are_said_in_vietnamese(admin_client, work):
    response = admin_client.get(URGE, {"task": ["abc", "٣", "99999999999999999999", str(work["soon"].pk)]})

    assert response.status_code == 200
    assert "không đọc được" in response.content.decode()
    assert _listed(response) == {"Sở Nội vụ": ["2"]}


def test_a_focal_point_may_not_urge(client, lead_focal_point):
    client.force_login(lead_focal_point)

    assert client.get(URGE).status_code == 403


def test_the_admin_of_the_merged_province_urges_its_inherited_plans(other_province, other_admin, province):
    province.successor, province.active_until = other_province, datetime.date(2025, 6, 30)
    province.save()
    plan = PlanFactory(province=province)

    assert (can_urge(other_admin, plan), can_urge(other_admin, province)) == (True, True)


def test_another_provinces_admin_may_not_urge_its_plans(other_admin, plan):
    assert not can_urge(other_admin, plan)


def test_the_page_makes_as_many_queries_for_many_tasks_as_for_few(admin_client, plan, lead_agency, finance):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URGE).status_code == 200
        return len(captured)

    for n in range(2):
        _task(plan, lead_agency if n % 2 else finance, days(-n - 1), code=f"A{n}")
    few = queries()
    for n in range(30):
        _task(plan, lead_agency if n % 2 else finance, days(n - 15), code=f"B{n}")

    assert queries() == few


# Sending --------------------------------------------------------------------------------------------


def test_sending_writes_one_history_entry_per_task(admin_client, province, plan, lead_agency, finance, work):
    departments = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    departments.members.set([lead_agency, finance])
    shared = _task(plan, departments, days(-1), code="9")  # urged to two agencies, one entry

    _send(admin_client)

    urged = TaskUpdate.objects.filter(kind=TaskUpdate.Kind.URGING)
    expected = {work["overdue"].pk, work["soon"].pk, work["finance"].pk, shared.pk}
    assert sorted(urged.values_list("task_id", flat=True)) == sorted(expected)


def test_the_history_entry_says_when_and_points_to_the_notice(admin_client, work):
    _send(admin_client, "state=overdue")

    entry = TaskUpdate.objects.get(kind=TaskUpdate.Kind.URGING, task=work["overdue"])
    assert (entry.note, entry.urging) == (
        f"Đôn đốc theo thông báo ngày {TODAY:%d/%m/%Y}", UrgingNotice.objects.get()
    )


def test_sending_changes_nothing_on_the_task(admin_client, work):
    before = work["overdue"].version

    _send(admin_client, "state=overdue")

    work["overdue"].refresh_from_db()
    assert (work["overdue"].version, work["overdue"].status) == (before, TaskStatus.NOT_STARTED)


def test_each_focal_point_and_leader_is_notified_once(admin_client, province, lead_agency, work):
    focal = [UserFactory(province=province, agency=lead_agency) for _ in range(2)]
    leader = UserFactory(province=province, agency=lead_agency, role=Role.LEADER)
    UserFactory(province=province, agency=lead_agency, is_active=False)

    _send(admin_client, f"agency={lead_agency.pk}")

    notified = Notification.objects.filter(kind=NotificationKind.URGED)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(u.pk for u in [*focal, leader])


def test_the_author_is_never_notified(client, province, lead_agency, work):
    author = UserFactory(province=province, agency=lead_agency, role=Role.LEADER, is_superuser=True)
    colleague = UserFactory(province=province, agency=lead_agency)
    client.force_login(author)

    _send(client, f"agency={lead_agency.pk}")

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [colleague.pk]


def test_an_agency_unticked_is_not_urged(admin_client, province, lead_agency, finance, work):
    UserFactory(province=province, agency=finance)
    page = admin_client.get(URGE)
    keys = [line.key for line in page.context["found"].lines if line.agency_id == lead_agency.pk]

    _send(admin_client, items=keys)

    notice = UrgingNotice.objects.get()
    assert (set(notice.items.values_list("agency_id", flat=True)), Notification.objects.count()) == (
        {lead_agency.pk}, 0
    )


def test_one_email_job_is_queued_per_recipient(
    admin_client, province, lead_agency, work, monkeypatch, django_capture_on_commit_callbacks
):
    people = [UserFactory(province=province, agency=lead_agency, email=f"nv{n}@example.vn") for n in (1, 2)]
    queued = []
    monkeypatch.setattr("tasks.jobs.send_urging_email.delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        _send(admin_client, f"agency={lead_agency.pk}")

    notice = UrgingNotice.objects.get()
    assert sorted(queued) == sorted((notice.pk, person.pk) for person in people)


def test_the_email_lists_the_agencys_tasks_in_vietnamese(
    admin_client, province, lead_agency, work, jobs_run_here, django_capture_on_commit_callbacks
):
    UserFactory(province=province, agency=lead_agency, email="noivu@example.vn")

    with django_capture_on_commit_callbacks(execute=True):
        _send(admin_client)

    (message,) = mail.outbox
    assert message.subject.startswith("[Theo dõi kế hoạch] Thông báo đôn đốc:")
    assert work["overdue"].title in message.body and work["finance"].title not in message.body
    assert "quá hạn 10 ngày" in message.body


def test_with_the_broker_down_the_emails_go_out_from_the_request(
    admin_client, broker_down, province, lead_agency, work, django_capture_on_commit_callbacks
):
    UserFactory(province=province, agency=lead_agency, email="noivu@example.vn")

    with django_capture_on_commit_callbacks(execute=True):
        response = _send(admin_client, f"agency={lead_agency.pk}")

    assert (response.status_code, len(mail.outbox)) == (302, 1)


def test_the_notice_keeps_the_days_overdue_of_the_day_it_was_sent(admin_client, work):
    _send(admin_client, "state=overdue")
    work["overdue"].due_override = days(-2)  # corrected later: the notice said what was true then
    work["overdue"].save()

    item = UrgingItem.objects.get(task=work["overdue"])
    assert (item.due_on, item.days_overdue) == (days(-10), 10)


def test_due_soon_work_is_kept_without_days_overdue(admin_client, work):
    _send(admin_client, "state=due_soon")

    assert list(UrgingItem.objects.values_list("due_on", "days_overdue")) == [(days(3), None)]


def test_the_signer_is_proposed_from_the_last_notice(admin_client, work):
    _send(admin_client, "state=overdue", signer_title="GIÁM ĐỐC", signer_name="Trần Văn Bình")

    form = admin_client.get(URGE).context["form"]
    assert (form["signer_title"].value(), form["signer_name"].value()) == ("GIÁM ĐỐC", "Trần Văn Bình")


def test_the_subject_proposed_names_the_plan(admin_client, work):
    form = admin_client.get(URGE).context["form"]

    assert form["subject"].value() == "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND"


def test_the_issuer_is_the_department_following_the_plan_up(admin_client, plan, province, work):
    old = AgencyFactory(province=province, name="Sở Thông tin và Truyền thông",
                        active_until=datetime.date(2025, 2, 28))
    old.successor = AgencyFactory(province=province, name="Sở Khoa học và Công nghệ")
    old.save()
    plan.report_recipient = old
    plan.save()

    _send(admin_client, "state=overdue")

    assert UrgingNotice.objects.get().issuer == "Sở Khoa học và Công nghệ"


# The notice's pages --------------------------------------------------------------------------------


def test_the_notice_page_says_whom_it_told(admin_client, province, lead_agency, work):
    UserFactory(province=province, agency=lead_agency, first_name="Bình", email="b@example.vn")
    _send(admin_client, f"agency={lead_agency.pk}")
    notice = UrgingNotice.objects.get()

    page = admin_client.get(notice.get_absolute_url()).content.decode()

    assert "b@example.vn" in page and work["overdue"].title in page
    assert reverse("tasks:urging_letter", args=[notice.pk]) in page


def test_the_task_page_links_the_urging_entry_to_the_notice(admin_client, lead_focal_point, client, work):
    _send(admin_client, "state=overdue")
    client.force_login(lead_focal_point)

    page = client.get(work["overdue"].get_absolute_url()).content.decode()

    assert UrgingNotice.objects.get().get_absolute_url() in page


def test_an_urging_notification_opens_the_notice(client, province, lead_agency, admin_client, work):
    person = UserFactory(province=province, agency=lead_agency)
    _send(admin_client, f"agency={lead_agency.pk}")
    client.force_login(person)

    notification = Notification.objects.get()

    response = client.post(reverse("tasks:notification_read", args=[notification.pk]), {"open": "1"})

    assert response.url == UrgingNotice.objects.get().get_absolute_url()


def test_the_letter_is_a_docx_named_by_its_date(admin_client, work):
    _send(admin_client, "state=overdue")
    notice = UrgingNotice.objects.get()

    response = admin_client.get(reverse("tasks:urging_letter", args=[notice.pk]))

    name = f"cong-van-don-doc-{TODAY.isoformat()}.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Kính gửi:" in text


def test_the_letter_lists_the_notices_tasks_by_plan_with_the_agencies_urged(
    admin_client, province, plan, lead_agency, finance, work
):
    departments = AgencyFactory(province=province, name="Các sở, ban, ngành Tỉnh", kind=AgencyKind.GROUP)
    departments.members.set([lead_agency, finance])
    shared = _task(plan, departments, days(-1), code="9")
    _send(admin_client, "state=overdue")

    letter = letter_of(UrgingNotice.objects.get())

    (plan_part,) = letter.plans
    rows = {row.code: (row.agencies, row.due_on, row.days_overdue) for row in plan_part.rows}
    assert rows == {
        "1": ("Sở Nội vụ", days(-10), 10), shared.code: ("Sở Nội vụ; Sở Tài chính", days(-1), 1),
        "7": ("Sở Tài chính", days(-5), 5),
    }
    assert (letter.addressees, letter.authority, letter.place) == (
        ("Sở Nội vụ", "Sở Tài chính"), "UBND tỉnh Đồng Tháp", "Đồng Tháp"
    )


def test_the_notices_list_shows_the_provinces_notices(admin_client, work, other_admin):
    _send(admin_client, "state=overdue")
    other = Client()
    other.force_login(other_admin)

    mine = admin_client.get(reverse("tasks:urging_list")).context["page"].object_list
    theirs = other.get(reverse("tasks:urging_list")).context["page"].object_list
    assert ([(n.tasks, n.agencies) for n in mine], list(theirs)) == ([(2, 2)], [])


def test_another_provinces_admin_cannot_open_the_notice(admin_client, work, other_admin, client):
    _send(admin_client, "state=overdue")
    client.force_login(other_admin)

    assert client.get(UrgingNotice.objects.get().get_absolute_url()).status_code == 404


def test_the_number_is_left_blank(admin_client, work):
    _send(admin_client, "state=overdue")

    assert UrgingNotice.objects.get().number == ""


def test_a_superuser_urges_one_province_at_a_time(client, work, other_province):
    foreign = _task(PlanFactory(province=other_province), AgencyFactory(province=other_province),
                    days(-10), code="Q1")
    client.force_login(UserFactory(is_superuser=True, role=Role.LEADER, province=None, agency=None))

    response = _send(client, f"task={work['overdue'].pk}&task={foreign.pk}")

    assert "thuộc nhiều tỉnh" in response.content.decode()
    assert not UrgingNotice.objects.exists()


def test_a_superusers_notice_belongs_to_the_province_of_its_tasks(client, work, province):
    client.force_login(UserFactory(is_superuser=True, role=Role.LEADER, province=None, agency=None))

    _send(client, f"task={work['overdue'].pk}")

    assert UrgingNotice.objects.get().province == province


def test_the_date_to_report_by_cannot_be_past(admin_client, work):
    response = _send(admin_client, "state=overdue", report_by=days(-1).strftime("%d/%m/%Y"))

    assert "không được trước hôm nay" in response.content.decode()
    assert not UrgingNotice.objects.exists()


def test_the_notice_page_makes_as_many_queries_for_many_tasks_as_for_few(admin_client, plan, province):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(UrgingNotice.objects.latest("pk").get_absolute_url()).status_code == 200
        return len(captured)

    def urge(n):
        for index in range(n):
            agency = AgencyFactory(province=province)
            UserFactory(province=province, agency=agency)
            _task(plan, agency, days(-index - 1), code=f"{n}.{index}")
        _send(admin_client)  # the latest notice urges every agency so far

    urge(2)
    few = queries()
    urge(20)

    assert queries() == few
