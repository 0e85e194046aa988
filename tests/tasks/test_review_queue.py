"""The provincial admin's queue of work to accept and extensions to decide: each item with who reported
what, when and with which evidence, judged in time or late; accepted or returned in place (htmx) or
with a plain form, one at a time or several at once."""

import datetime
import itertools

import pytest
from django.contrib.messages import get_messages
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tasks import reviewing, workflow
from tasks.mine import ordered
from tasks.models import Occurrence, TaskStatus, TaskUpdate
from tests.factories import AgencyFactory, AssignmentFactory, PlanFactory, TaskFactory, UserFactory
from tests.tasks.factories import PDF_BYTES, pdf, report_complete

pytestmark = pytest.mark.django_db

QUEUE = reverse("tasks:review_queue")
DECIDE = reverse("tasks:review_decide")
DECIDE_MANY = reverse("tasks:review_decide_many")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _vi(message):
    with translation.override("vi"):
        return str(message)


def _awaiting(plan, author, agency, **fields):
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=agency)
    report_complete(task, author, **fields)
    return task


def _awaiting_period(plan, author, agency, count=1):
    """A "Hằng quý" task whose first ``count`` periods are reported complete on their due dates."""
    task = TaskFactory(plan=plan, deadline_text="Hằng quý")
    AssignmentFactory(task=task, agency=agency)
    periods = list(task.occurrences.order_by("due")[:count])
    for period in periods:
        task.refresh_from_db()
        workflow.report(
            task, author=author, version=task.version, occurrence=period, status="awaiting_acceptance",
            progress=100, completed_on=period.due, done=f"Xong {period.label}",
        )
    task.refresh_from_db()
    return task, periods


def _decide(client, item, version, decision="accept", note="", **headers):
    data = {"item": item, "version": version, "decision": decision, "note": note}
    return client.post(DECIDE, data, **headers)


def _decide_many(client, *values, decision="accept", note="", **headers):
    return client.post(DECIDE_MANY, {"items": list(values), "decision": decision, "note": note}, **headers)


def _value(task, occurrence=None):
    return f"occurrence-{occurrence.pk}:{task.version}" if occurrence else f"task-{task.pk}:{task.version}"


@pytest.fixture
def reported(plan, lead_focal_point, lead_agency):
    """A task reported complete on 20/12/2024 (due 31/12/2024) at 09:30 in Hà Nội's time, with a PDF
    and a link as evidence, and the report's texts."""
    task = TaskFactory(plan=plan)
    AssignmentFactory(task=task, agency=lead_agency)
    update = report_complete(
        task, lead_focal_point, difficulties="Thiếu kinh phí", proposals="Bổ sung kinh phí năm 2025",
        done="Đã ban hành quyết định kiện toàn",
        evidence=[
            {"reference": "Quyết định số 123/QĐ-UBND", "file": pdf("quyet-dinh-123.pdf"),
             "content_type": "application/pdf"},
            {"reference": "https://dongthap.gov.vn/van-ban/123"},
        ],
    )
    when = datetime.datetime(2024, 12, 20, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Asia/Ho_Chi_Minh
    TaskUpdate.objects.filter(pk=update.pk).update(created_at=when)
    lead_focal_point.first_name, lead_focal_point.last_name = "Bình", "Trần Thị"
    lead_focal_point.save()
    return task


# -- what each item shows ------------------------------------------------------------------------


def test_queue_lists_work_awaiting_acceptance_and_pending_extensions(
    client, province_admin, lead_focal_point, lead_agency, plan, task
):
    awaiting = _awaiting(plan, lead_focal_point, lead_agency)
    extension = workflow.request_extension(
        task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
    )
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert [item.task for item in response.context["items"]] == [awaiting]
    assert list(response.context["extensions"]) == [extension]


def test_the_home_page_figures_lead_to_the_queue_sections(client, province_admin):
    client.force_login(province_admin)

    home, queue = client.get(reverse("home")), client.get(QUEUE)

    for section in ("awaiting", "extensions"):
        assert f'href="{QUEUE}#{section}"' in home.text
        assert f'<section id="{section}"' in queue.text


def test_an_item_names_who_reported_it_and_when(client, province_admin, reported, lead_agency):
    client.force_login(province_admin)

    response = client.get(QUEUE)

    item = response.context["items"][0]
    assert (item.report.author.get_full_name(), item.report.agency) == ("Bình Trần Thị", lead_agency)
    assert "Bình Trần Thị · <span class=\"reporter-agency\">Sở Nội vụ</span>" in response.text
    assert ">20/12/2024 09:30</time>" in response.text


def test_an_item_shows_the_progress_and_the_texts_reported(client, province_admin, reported):
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert '<dd class="col-sm-9 col-lg-10 progress-value">100%</dd>' in response.text
    assert '<dd class="col-sm-9 col-lg-10 completed-on">20/12/2024</dd>' in response.text
    for text in ("Đã ban hành quyết định kiện toàn", "Thiếu kinh phí", "Bổ sung kinh phí năm 2025"):
        assert text in response.text


def test_an_item_lists_the_evidence_with_names_sizes_and_links(client, province_admin, reported):
    client.force_login(province_admin)

    response = client.get(QUEUE)

    evidence = reported.updates.get(kind="report").evidence.exclude(file="").get()
    assert f'href="{reverse("tasks:evidence", args=[evidence.pk])}"' in response.text
    assert '<span class="evidence-name">quyet-dinh-123.pdf</span>' in response.text
    assert f"({_vi(filesizeformat(len(PDF_BYTES)))})" in response.text
    assert "Quyết định số 123/QĐ-UBND" in response.text
    assert 'href="https://dongthap.gov.vn/van-ban/123"' in response.text


def test_work_completed_by_its_due_date_is_shown_reported_in_time(client, province_admin, reported):
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert (response.context["items"][0].in_time, response.context["items"][0].days_late) == (True, None)
    assert '<dd class="col-sm-9 col-lg-10 due-on">31/12/2024</dd>' in response.text
    assert _vi(_("Reported complete in time")) in response.text


def test_work_completed_after_its_due_date_is_shown_late_by_so_many_days(
    client, province_admin, lead_focal_point, lead_agency, plan
):
    _awaiting(plan, lead_focal_point, lead_agency, completed_on=datetime.date(2025, 1, 10))
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert (response.context["items"][0].in_time, response.context["items"][0].days_late) == (False, 10)
    assert "Hoàn thành trễ 10 ngày so với hạn" in response.text


def test_queue_lists_periods_awaiting_acceptance(client, province_admin, lead_focal_point, lead_agency, plan):
    task, [period] = _awaiting_period(plan, lead_focal_point, lead_agency)
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert [item.occurrence for item in response.context["items"]] == [period]
    assert f"?occurrence={period.pk}" in response.text


def test_a_period_is_judged_against_its_own_due_date(
    client, province_admin, lead_focal_point, lead_agency, plan
):
    task, [period] = _awaiting_period(plan, lead_focal_point, lead_agency)
    client.force_login(province_admin)

    response = client.get(QUEUE)

    assert response.context["items"][0].in_time is True
    assert f'<dd class="col-sm-9 col-lg-10 due-on">{period.due:%d/%m/%Y}</dd>' in response.text


def test_queue_holds_nothing_of_another_province(client, other_admin, lead_focal_point, lead_agency, plan):
    _awaiting(plan, lead_focal_point, lead_agency)
    client.force_login(other_admin)

    response = client.get(QUEUE)

    assert list(response.context["items"]) == []


@pytest.mark.parametrize("count", [1, 5])
def test_queue_query_count_does_not_grow(
    client, province_admin, lead_focal_point, lead_agency, province, count, django_assert_num_queries
):
    plan = PlanFactory(province=province)
    for _index in range(count):
        task = _awaiting(
            plan, lead_focal_point, lead_agency,
            evidence=[{"reference": "Báo cáo", "file": pdf(), "content_type": "application/pdf"}],
        )
        workflow.request_extension(
            task, author=lead_focal_point, proposed_due=datetime.date(2025, 3, 31), reason="Chờ"
        )
    _awaiting_period(plan, lead_focal_point, lead_agency, count=count)
    client.force_login(province_admin)

    # session, user, awaiting count (tasks, periods) and page (UNION); the tasks, the periods with
    # their tasks, the reports with authors and agencies, their evidence; the admin's provinces (can_review);
    # extensions count and page; target values count (none: no page); the user's agency and province
    # (menu)
    with django_assert_num_queries(15):
        response = client.get(QUEUE)

    assert response.status_code == 200
    assert len(response.context["items"]) == 2 * count


# -- one item, inline ----------------------------------------------------------------------------


def test_accepting_inline_with_htmx_returns_the_outcome_in_place(client, province_admin, reported):
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version, **HTMX)

    assert response.status_code == 200
    outcome = (
        '<article class="card shadow-sm mb-3 review-item review-outcome border-success" '
        f'id="task-{reported.pk}"'
    )
    assert response.text.lstrip().startswith(outcome)
    assert "Đã chấp nhận — hoàn thành đúng hạn" in response.text
    assert "<html" not in response.text


def test_accepting_inline_completes_the_task_and_writes_its_history(client, province_admin, reported):
    client.force_login(province_admin)

    _decide(client, f"task-{reported.pk}", reported.version, **HTMX)

    reported.refresh_from_db()
    review = reported.updates.get(kind=TaskUpdate.Kind.REVIEW)
    assert (reported.status, reported.completed_on) == (TaskStatus.COMPLETED, datetime.date(2024, 12, 20))
    assert (review.author, review.changes["status"]) == (province_admin, ["awaiting_acceptance", "completed"])


def test_accepting_inline_updates_the_queue_count(client, province_admin, reported, plan, lead_focal_point,
                                                  lead_agency):
    _awaiting(plan, lead_focal_point, lead_agency)
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version, **HTMX)

    count = '<span id="awaiting-count" class="badge text-bg-secondary" hx-swap-oob="true">1</span>'
    assert count in response.text


def test_returning_needs_a_reason(client, province_admin, reported):
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version, decision="return", **HTMX)

    reported.refresh_from_db()
    assert reported.status == TaskStatus.AWAITING_ACCEPTANCE
    assert _vi(_("Give the reason for returning the work.")) in response.text
    assert f'id="task-{reported.pk}" data-version="{reported.version}"' in response.text  # the item again


def test_returning_with_a_reason_sends_the_work_back(client, province_admin, reported):
    client.force_login(province_admin)

    response = _decide(
        client, f"task-{reported.pk}", reported.version, decision="return", note="Bổ sung văn bản", **HTMX
    )

    reported.refresh_from_db()
    assert reported.status == TaskStatus.RETURNED
    assert reported.updates.get(kind=TaskUpdate.Kind.REVIEW).note == "Bổ sung văn bản"
    assert "Đã trả lại" in response.text


def test_without_javascript_a_decision_redirects_to_the_queue_with_a_message(
    client, province_admin, reported
):
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version)

    reported.refresh_from_db()
    assert response.status_code == 302 and response.url == QUEUE
    assert reported.status == TaskStatus.COMPLETED
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{reported.code}: Đã chấp nhận — hoàn thành đúng hạn"
    ]


def test_without_javascript_returning_without_a_reason_says_so(client, province_admin, reported):
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version, decision="return")

    reported.refresh_from_db()
    assert reported.status == TaskStatus.AWAITING_ACCEPTANCE
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Hãy nêu lý do trả lại."]


def test_a_report_changed_since_the_admin_saw_it_is_refused_in_the_item(client, province_admin, reported):
    seen = reported.version
    workflow.edit_deadline(
        reported, author=province_admin, changes={"due_override": datetime.date(2025, 1, 31)}
    )
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", seen, note="Đạt yêu cầu", **HTMX)

    reported.refresh_from_db()
    assert reported.status == TaskStatus.AWAITING_ACCEPTANCE
    assert _vi(workflow.STALE_MESSAGE) in response.text
    # The item again, as it stands now: its new version, what the admin wrote kept.
    assert f'<input type="hidden" name="version" value="{reported.version}">' in response.text
    assert ">Đạt yêu cầu</textarea>" in response.text


def test_a_period_is_accepted_from_the_queue(client, province_admin, lead_focal_point, lead_agency, plan):
    task, [period] = _awaiting_period(plan, lead_focal_point, lead_agency)
    client.force_login(province_admin)

    response = _decide(client, f"occurrence-{period.pk}", task.version, **HTMX)

    period.refresh_from_db()
    task.refresh_from_db()
    assert period.status == TaskStatus.COMPLETED
    assert task.status == TaskStatus.NOT_STARTED  # the task itself is judged by its periods
    assert task.updates.get(kind=TaskUpdate.Kind.REVIEW).occurrence == period
    assert "Đã chấp nhận — hoàn thành đúng hạn" in response.text


def test_accepting_one_period_refreshes_the_others_of_its_task_with_the_new_version(
    client, province_admin, lead_focal_point, lead_agency, plan
):
    task, [first, second] = _awaiting_period(plan, lead_focal_point, lead_agency, count=2)
    client.force_login(province_admin)

    response = _decide(client, f"occurrence-{first.pk}", task.version, **HTMX)

    task.refresh_from_db()
    assert f'id="occurrence-{second.pk}" data-version="{task.version}"' in response.text
    assert 'hx-swap-oob="true"' in response.text


def test_work_already_decided_is_refused_and_left_alone(client, province_admin, reported):
    workflow.review(reported, author=province_admin, version=reported.version, accept=False, note="Bổ sung")
    reported.refresh_from_db()
    client.force_login(province_admin)

    response = _decide(client, f"task-{reported.pk}", reported.version, **HTMX)

    reported.refresh_from_db()
    assert reported.status == TaskStatus.RETURNED
    assert "Mục này không còn chờ xác nhận: không có thay đổi nào." in response.text


@pytest.mark.parametrize(
    ("item", "version"),
    [("task-abc", "1"), ("task-99999999999999999999", "1"), ("plan-1", "1"), ("task-1", "99999999999"),
     ("task-1", "abc"), ("", "")],
)
def test_a_malformed_item_is_answered_in_vietnamese(client, province_admin, item, version):
    client.force_login(province_admin)

    response = _decide(client, item, version, **HTMX)

    assert response.status_code == 200
    assert "Không đọc được mục này" in response.text


def test_a_focal_point_may_not_decide(client, lead_focal_point, reported):
    client.force_login(lead_focal_point)

    response = _decide(client, f"task-{reported.pk}", reported.version)

    reported.refresh_from_db()
    assert response.status_code == 403
    assert reported.status == TaskStatus.AWAITING_ACCEPTANCE


# -- several at once -----------------------------------------------------------------------------


@pytest.fixture
def three(plan, lead_focal_point, lead_agency):
    return [_awaiting(plan, lead_focal_point, lead_agency) for _index in range(3)]


def test_three_items_are_accepted_at_once(client, province_admin, three):
    client.force_login(province_admin)

    response = _decide_many(client, *(_value(task) for task in three), **HTMX)

    assert {task.status for task in _refreshed(three)} == {TaskStatus.COMPLETED}
    assert TaskUpdate.objects.filter(kind=TaskUpdate.Kind.REVIEW).count() == 3
    assert "Đã chấp nhận 3 mục." in response.text
    for task in three:  # each item replaced by its outcome in the page
        assert f'id="task-{task.pk}" hx-swap-oob="true"' in response.text


def _refreshed(tasks):
    for task in tasks:
        task.refresh_from_db()
    return tasks


def test_several_items_are_returned_at_once_with_the_reason(client, province_admin, three):
    client.force_login(province_admin)

    values = [_value(task) for task in three]
    response = _decide_many(client, *values, decision="return", note="Thiếu minh chứng")

    assert {task.status for task in _refreshed(three)} == {TaskStatus.RETURNED}
    notes = TaskUpdate.objects.filter(kind="review").values_list("note", flat=True)
    assert set(notes) == {"Thiếu minh chứng"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã trả lại 3 mục."]


def test_returning_several_needs_a_reason_and_changes_nothing(client, province_admin, three):
    client.force_login(province_admin)

    response = _decide_many(client, *(_value(task) for task in three), decision="return", **HTMX)

    assert {task.status for task in _refreshed(three)} == {TaskStatus.AWAITING_ACCEPTANCE}
    assert "Hãy nêu lý do trả lại." in response.text


def test_without_javascript_a_bulk_decision_redirects_with_the_counts(client, province_admin, three):
    client.force_login(province_admin)

    response = _decide_many(client, *(_value(task) for task in three))

    assert response.status_code == 302 and response.url == QUEUE
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã chấp nhận 3 mục."]


def test_a_stale_item_is_refused_while_the_others_are_accepted(client, province_admin, three):
    values = [_value(task) for task in three]
    stale = three[1]
    workflow.edit_deadline(stale, author=province_admin, changes={"due_override": datetime.date(2025, 1, 31)})
    client.force_login(province_admin)

    response = _decide_many(client, *values, **HTMX)

    statuses = [task.status for task in _refreshed(three)]
    assert statuses == [TaskStatus.COMPLETED, TaskStatus.AWAITING_ACCEPTANCE, TaskStatus.COMPLETED]
    assert "Đã chấp nhận 2 mục." in response.text
    assert "1 mục không được thay đổi:" in response.text
    assert f"{stale.code}</span>: {_vi(workflow.STALE_MESSAGE)}" in response.text
    # The stale item is shown again as it now stands, with the refusal and its new version.
    assert f'id="task-{stale.pk}" data-version="{stale.version}"' in response.text


def test_another_provinces_task_in_a_bulk_decision_is_refused_and_unchanged(
    client, province_admin, three, other_province
):
    other_agency = AgencyFactory(province=other_province, name="Sở Nội vụ")
    other_focal_point = UserFactory(province=other_province, agency=other_agency)
    foreign = _awaiting(PlanFactory(province=other_province), other_focal_point, other_agency)
    client.force_login(province_admin)

    response = _decide_many(client, *(_value(task) for task in three), _value(foreign))

    foreign.refresh_from_db()
    assert foreign.status == TaskStatus.AWAITING_ACCEPTANCE
    assert not foreign.updates.filter(kind=TaskUpdate.Kind.REVIEW).exists()
    assert {task.status for task in _refreshed(three)} == {TaskStatus.COMPLETED}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã chấp nhận 3 mục.",
        f"Không thay đổi: Nhiệm vụ #{foreign.pk}: Mục này không có trong danh sách cần xem xét của bạn: "
        "không có thay đổi nào.",
    ]


def test_work_not_awaiting_acceptance_in_a_bulk_decision_is_refused_and_unchanged(
    client, province_admin, three, task
):
    client.force_login(province_admin)

    response = _decide_many(client, _value(three[0]), _value(task), **HTMX)

    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert not task.updates.filter(kind=TaskUpdate.Kind.REVIEW).exists()
    assert "Đã chấp nhận 1 mục." in response.text
    assert f"Nhiệm vụ #{task.pk}" not in response.text  # named by its code: the admin's own province
    assert f"{task.code}</span>: Mục này không còn chờ xác nhận" in response.text


def test_two_periods_of_one_task_are_accepted_together(client, province_admin, lead_focal_point, lead_agency,
                                                       plan):
    task, periods = _awaiting_period(plan, lead_focal_point, lead_agency, count=2)
    client.force_login(province_admin)

    response = _decide_many(client, *(_value(task, period) for period in periods), **HTMX)

    assert {p.status for p in Occurrence.objects.filter(pk__in=[p.pk for p in periods])} == {"completed"}
    assert "Đã chấp nhận 2 mục." in response.text


@pytest.mark.parametrize(
    "value", ["abc", "task-1", "task-1:abc", "task-99999999999999999999:1", "task-1:99999999999", "x" * 2000]
)
def test_a_malformed_selection_changes_nothing_and_says_why_in_vietnamese(
    client, province_admin, three, value
):
    client.force_login(province_admin)

    response = _decide_many(client, _value(three[0]), value, **HTMX)

    assert response.status_code == 200
    assert "Không đọc được một số mục đã chọn" in response.text
    assert {task.status for task in _refreshed(three)} == {TaskStatus.AWAITING_ACCEPTANCE}


def test_a_bulk_decision_needs_a_selection(client, province_admin):
    client.force_login(province_admin)

    response = _decide_many(client)

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Hãy chọn ít nhất một mục."]



def test_the_queue_compiled_once_is_the_ordered_work_awaiting(province, other_province, lead_agency,
                                                              lead_focal_point):
    plan = PlanFactory(province=province)
    for _index in range(4):
        _awaiting(plan, lead_focal_point, lead_agency)
    _awaiting_period(plan, lead_focal_point, lead_agency, count=3)
    elsewhere = AgencyFactory(province=other_province)
    _awaiting(PlanFactory(province=other_province), UserFactory(province=other_province, agency=elsewhere),
              elsewhere)
    admins = [UserFactory(province=p, role="province_admin") for p in (province, other_province)]
    days = (datetime.date(2024, 6, 1), datetime.date(2025, 1, 1))
    for admin, day in itertools.product(admins, days):
        tasks, occurrences = reviewing.awaiting(admin, day)
        direct = ordered(tasks, occurrences, day)
        queue = reviewing.queue_rows(admin, day)

        assert queue.count() == direct.count()
        assert queue[0:25] == list(direct[0:25])
        assert queue[2:4] == list(direct[2:4])
    assert reviewing.queue_rows(admins[0], datetime.date(2025, 1, 1)).count() == 7  # not vacuous
