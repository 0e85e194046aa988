"""Comments on a task: who may write one, withdrawing one (with a trace, the text then shown nowhere),
@-mentions of agencies (their focal points told once, never the author), escaping, and the task
page's query count."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import AgencyAlias, AgencyKind, Role
from tasks import workflow
from tasks.mentions import find_mentions, render_comment
from tasks.models import Notification, NotificationKind, Task, TaskUpdate
from tasks.permissions import can_comment
from tests.factories import AgencyFactory, PlanFactory, ProvinceFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jobs_run_here(settings):
    """Celery jobs (the mention e-mails) run in the test, not on a broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def finance(province):
    agency = AgencyFactory(province=province, name="Sở Tài chính")
    AgencyAlias.objects.create(agency=agency, name="STC")
    return agency


@pytest.fixture
def finance_focal_points(province, finance):
    return [
        UserFactory(province=province, agency=finance, username=f"dt.stc{n}", email=f"stc{n}@example.vn")
        for n in (1, 2)
    ]


@pytest.fixture
def communes(province):
    return AgencyFactory(province=province, name="UBND các xã, phường", kind=AgencyKind.COMMUNE_GROUP)


def _may_comment(user, task):
    return can_comment(user, Task.objects.with_roles_of(user).select_related("plan").get(pk=task.pk))


def _post(client, user, task, text, **extra):
    client.force_login(user)
    return client.post(reverse("tasks:comment", args=[task.pk]), {"text": text, **extra})


def _page(client, user, task):
    client.force_login(user)
    return client.get(reverse("tasks:detail", args=[task.pk]))


def _history(response):
    return response.text[response.text.index('id="history"'):]


def _comment(task, author, text="Đề nghị bổ sung số liệu quý III."):
    return workflow.comment(task, author=author, text=text)


def _mentions(update):
    return [(mention["name"], update.note[mention["start"]:mention["end"]]) for mention in update.mentions]


# --- Who may comment ---------------------------------------------------------------------------------


def test_the_lead_focal_point_may_comment(task, lead_focal_point):
    assert _may_comment(lead_focal_point, task)


def test_a_coordinator_focal_point_may_comment(task, coordinator_focal_point):
    assert _may_comment(coordinator_focal_point, task)


def test_the_provincial_admin_may_comment(task, province_admin):
    assert _may_comment(province_admin, task)


def test_a_leader_of_the_province_may_comment(task, leader):
    assert _may_comment(leader, task)


def test_an_unrelated_agencys_focal_point_may_not_comment(task, unrelated_focal_point):
    assert not _may_comment(unrelated_focal_point, task)


def test_another_provinces_admin_may_not_comment(task, other_admin):
    assert not _may_comment(other_admin, task)


def test_the_focal_point_of_a_merged_agencys_successor_may_comment(merged_agency_task, lead_focal_point):
    assert _may_comment(lead_focal_point, merged_agency_task)


def test_a_focal_point_still_filed_under_the_ended_agency_may_not_comment(merged_agency_task, merged_agency):
    former = UserFactory(province=merged_agency.province, agency=merged_agency)

    assert not _may_comment(former, merged_agency_task)


def test_the_admin_of_the_province_a_plan_was_merged_into_may_comment(other_province):
    danang = ProvinceFactory(name="Đà Nẵng", slug="da-nang")
    other_province.active_until, other_province.successor = datetime.date(2025, 6, 30), danang
    other_province.save()
    task = TaskFactory(plan=PlanFactory(province=other_province))
    admin = UserFactory(province=danang, agency=None, role=Role.PROVINCE_ADMIN)

    assert _may_comment(admin, task)


def test_a_comment_posted_by_a_leader_is_in_the_history(client, leader, task):
    response = _post(client, leader, task, "Đề nghị Sở Nội vụ khẩn trương hoàn thành.")

    comment = task.updates.get(kind=TaskUpdate.Kind.COMMENT)
    assert response.status_code == 302
    assert response.url == f"{task.get_absolute_url()}#update-{comment.pk}"
    assert (comment.author, comment.note) == (leader, "Đề nghị Sở Nội vụ khẩn trương hoàn thành.")


def test_an_unrelated_focal_point_cannot_post_a_comment(client, unrelated_focal_point, task):
    response = _post(client, unrelated_focal_point, task, "Ý kiến")

    assert response.status_code == 403
    assert not task.updates.exists()


def test_a_comment_leaves_the_tasks_status_and_version_alone(leader, task):
    version = task.version

    _comment(task, leader)

    task.refresh_from_db()
    assert (task.status, task.version) == ("not_started", version)


# --- The form ----------------------------------------------------------------------------------------


def test_an_empty_comment_is_refused_in_vietnamese(client, leader, task):
    response = _post(client, leader, task, "   \n  ")

    assert response.status_code == 200
    assert "Hãy viết bình luận trước khi gửi." in response.text
    assert not task.updates.exists()


def test_a_comment_holding_a_nul_character_is_refused(client, leader, task):
    response = _post(client, leader, task, "Ý kiến\x00")

    assert "Nội dung không được chứa ký tự NUL." in response.text
    assert not task.updates.exists()


def test_a_comment_longer_than_4000_characters_is_refused(client, leader, task):
    response = _post(client, leader, task, "a" * 4001)

    assert response.context["form"].errors["text"]
    assert not task.updates.exists()


def test_a_line_break_counts_as_one_character(client, leader, task):
    _post(client, leader, task, "a\r\n" + "b" * 3998)

    assert task.updates.get().note == "a\n" + "b" * 3998


def test_the_agency_picked_in_the_form_is_mentioned_at_the_start(client, leader, task, finance):
    _post(client, leader, task, "Đề nghị phối hợp.", mention="Sở Tài chính")

    comment = task.updates.get()
    assert comment.note == "@Sở Tài chính Đề nghị phối hợp."
    assert _mentions(comment) == [("Sở Tài chính", "@Sở Tài chính")]


def test_an_agency_the_province_does_not_have_is_refused_in_the_form(client, leader, task):
    response = _post(client, leader, task, "Đề nghị phối hợp.", mention="Sở Không Có")

    assert "Không có đơn vị nào của tỉnh đang hoạt động có tên “Sở Không Có”." in response.text
    assert not task.updates.exists()


def test_the_page_offers_the_provinces_agencies_in_force_to_mention(client, leader, task, finance):
    AgencyFactory(province=task.plan.province, name="Sở Kế hoạch và Đầu tư",
                  active_until=datetime.date(2025, 2, 28), successor=finance)

    response = _page(client, leader, task)

    datalist = response.text[response.text.index('<datalist id="comment-agencies">'):]
    datalist = datalist[:datalist.index("</datalist>")]
    assert '<option value="Sở Tài chính">' in datalist
    assert "Sở Kế hoạch và Đầu tư" not in datalist
    assert 'list="comment-agencies"' in response.text


def test_the_page_offers_no_comment_form_to_an_unrelated_focal_point(client, unrelated_focal_point, task):
    response = _page(client, unrelated_focal_point, task)

    assert reverse("tasks:comment", args=[task.pk]) not in response.text


# --- Rendering ---------------------------------------------------------------------------------------


def test_a_comment_is_shown_with_its_author_agency_and_time(client, leader, lead_focal_point, task):
    lead_focal_point.first_name, lead_focal_point.last_name = "Trần Thị", "Bình"
    lead_focal_point.save()
    comment = _comment(task, lead_focal_point, "Đã gửi dự thảo.")
    TaskUpdate.objects.filter(pk=comment.pk).update(
        created_at=datetime.datetime(2025, 3, 4, 1, 5, tzinfo=datetime.UTC)
    )

    history = _history(_page(client, leader, task))

    assert "Bình luận" in history
    assert "Trần Thị Bình · Sở Nội vụ" in history
    assert "04/03/2025 08:05" in history  # Asia/Ho_Chi_Minh
    assert "Đã gửi dự thảo." in history


def test_html_in_a_comment_is_escaped(client, leader, task):
    _comment(task, leader, '<script>alert("x")</script><b>đậm</b>')

    history = _history(_page(client, leader, task))

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;đậm&lt;/b&gt;" in history
    assert "<script>alert" not in history


def test_line_breaks_of_a_comment_are_kept(client, leader, task):
    _comment(task, leader, "Dòng một\nDòng hai")

    assert "Dòng một<br>Dòng hai" in _history(_page(client, leader, task))


def test_a_mentioned_agency_is_a_link_to_its_page(client, leader, task, finance):
    _comment(task, leader, "Đề nghị @Sở Tài chính cho ý kiến.")

    history = _history(_page(client, leader, task))

    link = f'<a href="{reverse("agencies:detail", args=[finance.pk])}" class="mention" title="Sở Tài chính">'
    assert f"Đề nghị {link}@Sở Tài chính</a> cho ý kiến." in history


def test_an_unknown_mention_is_plain_text(client, leader, task):
    _comment(task, leader, "Chờ @Nothing trả lời.")

    history = _history(_page(client, leader, task))

    assert "Chờ @Nothing trả lời." in history
    assert 'class="mention"' not in history


def test_stored_mentions_that_do_not_fit_the_text_are_ignored():
    html = render_comment("<i>@Sở</i>", [{"start": 3, "end": 99, "agency": 1, "name": "x"}, {"start": "a"}])

    assert html == "&lt;i&gt;@Sở&lt;/i&gt;"


# --- Mentions ----------------------------------------------------------------------------------------


def test_a_mention_notifies_the_agencys_focal_points(leader, task, finance_focal_points):
    _comment(task, leader, "Đề nghị @Sở Tài chính cho ý kiến.")

    mentions = Notification.objects.filter(kind=NotificationKind.MENTION)
    assert sorted(mentions.values_list("recipient", flat=True)) == sorted(u.pk for u in finance_focal_points)


def test_an_agency_mentioned_twice_notifies_once(leader, task, finance_focal_points):
    _comment(task, leader, "@Sở Tài chính và @STC: đề nghị @sở tài chính cho ý kiến.")

    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == len(finance_focal_points)


def test_the_author_is_not_notified_of_their_own_mention(task, finance_focal_points):
    author, colleague = finance_focal_points

    _comment(task, author, "@Sở Tài chính sẽ gửi số liệu.")

    assert list(Notification.objects.values_list("recipient", flat=True)) == [colleague.pk]


def test_an_unknown_mention_notifies_nobody(leader, task, finance_focal_points):
    comment = _comment(task, leader, "Chờ @Nothing trả lời.")

    assert comment.mentions == []
    assert not Notification.objects.exists()


def test_a_mention_notification_carries_no_words_of_the_comment(leader, task, finance_focal_points):
    _comment(task, leader, "Đề nghị @Sở Tài chính cho ý kiến.")

    assert set(Notification.objects.values_list("message", flat=True)) == {""}


def test_a_mention_e_mails_each_focal_point_once(
    leader, task, finance_focal_points, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _comment(task, leader, "@Sở Tài chính, @STC: đề nghị cho ý kiến.")

    assert sorted(message.to[0] for message in mail.outbox) == ["stc1@example.vn", "stc2@example.vn"]
    assert "Sở Nội vụ" not in mail.outbox[0].to[0]
    assert f"{task.get_absolute_url()}#update-" in mail.outbox[0].body
    assert task.code in mail.outbox[0].subject


def test_with_the_broker_down_the_mention_e_mails_go_out_from_the_request(
    client, broker_down, leader, task, finance_focal_points, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, leader, task, "Đề nghị @Sở Tài chính cho ý kiến.")

    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_a_comment_withdrawn_before_its_e_mail_goes_out_is_not_e_mailed(
    leader, task, finance_focal_points, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        comment = _comment(task, leader, "Đề nghị @Sở Tài chính cho ý kiến.")
    workflow.withdraw_comment(comment, author=leader)

    for callback in callbacks:
        callback()

    assert mail.outbox == []


def test_a_group_with_a_comma_in_its_name_is_mentioned_whole(leader, task, communes):
    comment = _comment(task, leader, "Đề nghị @UBND các xã, phường báo cáo.")

    assert _mentions(comment) == [("UBND các xã, phường", "@UBND các xã, phường")]


def test_an_alias_names_the_agency(leader, task, finance):
    comment = _comment(task, leader, "Chuyển @STC xem xét.")

    assert _mentions(comment) == [("Sở Tài chính", "@STC")]


def test_an_agency_that_has_ended_is_not_mentioned(leader, task, finance):
    AgencyFactory(province=task.plan.province, name="Sở Kế hoạch và Đầu tư",
                  active_until=datetime.date(2025, 2, 28), successor=finance)

    comment = _comment(task, leader, "Hỏi @Sở Kế hoạch và Đầu tư.")

    assert comment.mentions == []


def test_another_provinces_agency_is_not_mentioned(leader, task, other_province):
    AgencyFactory(province=other_province, name="Sở Tài chính")

    assert _comment(task, leader, "Hỏi @Sở Tài chính.").mentions == []


def _resolver(*names):
    return lambda words: words if words in names else None


def test_a_mention_ends_where_the_agencys_name_does():
    text = "Đề nghị @Sở Tài chính và @Sở Nội vụ phối hợp."

    found = find_mentions(text, _resolver("Sở Tài chính", "Sở Nội vụ"))

    assert [text[start:end] for start, end, _name in found] == ["@Sở Tài chính", "@Sở Nội vụ"]


def test_a_mention_is_trimmed_to_the_fewest_words_naming_the_agency():
    text = "@Sở Tài chính và Sở Nội vụ"

    def resolve(words):  # as the matcher does: "và" is no word of a name
        return "Sở Tài chính" if words.replace(" và", "") == "Sở Tài chính" else None

    assert find_mentions(text, resolve) == [(0, len("@Sở Tài chính"), "Sở Tài chính")]


def test_punctuation_after_a_mention_is_not_part_of_it():
    text = "(xem @Sở Tài chính)."

    found = find_mentions(text, _resolver("Sở Tài chính"))

    assert [text[start:end] for start, end, _name in found] == ["@Sở Tài chính"]


def test_an_e_mail_address_is_no_mention():
    assert find_mentions("Gửi stc@Sở Tài chính", _resolver("Sở Tài chính")) == []


# --- Withdrawal --------------------------------------------------------------------------------------


def _withdraw(client, user, comment):
    client.force_login(user)
    return client.post(reverse("tasks:withdraw_comment", args=[comment.pk]))


def test_the_author_withdraws_a_comment(client, lead_focal_point, task):
    comment = _comment(task, lead_focal_point)

    response = _withdraw(client, lead_focal_point, comment)

    assert response.status_code == 302
    assert comment.withdrawal.author == lead_focal_point


def test_the_provincial_admin_withdraws_a_comment(client, province_admin, lead_focal_point, task):
    comment = _comment(task, lead_focal_point)

    _withdraw(client, province_admin, comment)

    assert comment.withdrawal.author == province_admin


@pytest.mark.parametrize("who", ["coordinator_focal_point", "leader"])
def test_nobody_else_of_the_province_withdraws_a_comment(client, request, lead_focal_point, task, who):
    comment = _comment(task, lead_focal_point)

    response = _withdraw(client, request.getfixturevalue(who), comment)

    assert response.status_code == 403
    assert not TaskUpdate.objects.filter(withdraws=comment).exists()


def test_another_provinces_admin_does_not_find_the_comment(client, other_admin, lead_focal_point, task):
    comment = _comment(task, lead_focal_point)

    assert _withdraw(client, other_admin, comment).status_code == 404


def test_withdrawal_asks_for_confirmation_first(client, lead_focal_point, task):
    comment = _comment(task, lead_focal_point)
    client.force_login(lead_focal_point)

    response = client.get(reverse("tasks:withdraw_comment", args=[comment.pk]))

    assert response.status_code == 200
    assert "Đề nghị bổ sung số liệu quý III." in response.text
    assert not TaskUpdate.objects.filter(withdraws=comment).exists()


def test_a_comment_is_withdrawn_once(lead_focal_point, province_admin, task):
    comment = _comment(task, lead_focal_point)
    workflow.withdraw_comment(comment, author=lead_focal_point)

    with pytest.raises(workflow.WorkflowError):
        workflow.withdraw_comment(TaskUpdate.objects.get(pk=comment.pk), author=province_admin)

    assert TaskUpdate.objects.filter(kind=TaskUpdate.Kind.WITHDRAWAL).count() == 1


def test_only_a_comment_can_be_withdrawn(lead_focal_point, task):
    contribution = workflow.contribute(task, author=lead_focal_point, done="Số liệu")

    with pytest.raises(workflow.WorkflowError):
        workflow.withdraw_comment(contribution, author=lead_focal_point)


def test_the_page_offers_withdrawal_to_the_author_only(client, lead_focal_point, leader, task):
    comment = _comment(task, lead_focal_point)
    url = reverse("tasks:withdraw_comment", args=[comment.pk])

    assert url in _history(_page(client, lead_focal_point, task))
    assert url not in _history(_page(client, leader, task))


def test_a_withdrawn_comment_keeps_its_author_and_time_with_a_trace(client, leader, lead_focal_point, task):
    comment = _comment(task, lead_focal_point)
    withdrawal = workflow.withdraw_comment(comment, author=lead_focal_point)
    TaskUpdate.objects.filter(pk=withdrawal.pk).update(
        created_at=datetime.datetime(2025, 3, 5, 2, 30, tzinfo=datetime.UTC)
    )

    history = _history(_page(client, leader, task))

    assert f'id="update-{comment.pk}"' in history
    assert f"{lead_focal_point.username} · Sở Nội vụ" in history
    assert f"Bình luận đã được thu hồi bởi {lead_focal_point.username} lúc 05/03/2025 09:30" in history


def test_a_withdrawn_comments_text_is_not_on_the_page(client, leader, lead_focal_point, task, finance):
    comment = _comment(task, lead_focal_point, "Nội dung nhầm, gửi @Sở Tài chính")
    workflow.withdraw_comment(comment, author=lead_focal_point)

    page = _page(client, leader, task).text

    assert "Nội dung nhầm" not in page
    assert reverse("agencies:detail", args=[finance.pk]) not in _history(_page(client, leader, task))


def test_a_withdrawn_comment_says_nothing_in_the_tasks_history(lead_focal_point, task):
    comment = _comment(task, lead_focal_point, "Nội dung nhầm")
    workflow.withdraw_comment(comment, author=lead_focal_point)

    history = list(Task.objects.get(pk=task.pk).history())

    assert [(update.kind, update.comment_text) for update in history] == [(TaskUpdate.Kind.COMMENT, "")]


def test_a_withdrawn_comments_text_is_not_in_the_django_admin(client, lead_focal_point, task):
    comment = _comment(task, lead_focal_point, "Nội dung nhầm")
    workflow.withdraw_comment(comment, author=lead_focal_point)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, province=None, agency=None))

    page = client.get(reverse("admin:tasks_taskupdate_change", args=[comment.pk]))
    found = client.get(reverse("admin:tasks_taskupdate_changelist"), {"q": "Nội dung nhầm"})

    assert page.status_code == 200
    assert "Nội dung nhầm" not in page.text
    assert "Bình luận đã được thu hồi bởi" in page.text
    assert found.context["cl"].result_count == 0


def test_a_comment_is_found_by_its_words_in_the_django_admin(client, lead_focal_point, task):
    _comment(task, lead_focal_point, "Nội dung cần tìm")
    client.force_login(UserFactory(is_superuser=True, is_staff=True, province=None, agency=None))

    found = client.get(reverse("admin:tasks_taskupdate_changelist"), {"q": "cần tìm"})

    assert found.context["cl"].result_count == 1


def test_a_comment_cannot_be_changed_in_the_django_admin(client, lead_focal_point, task):
    comment = _comment(task, lead_focal_point, "Nguyên văn")
    client.force_login(UserFactory(is_superuser=True, is_staff=True, province=None, agency=None))

    response = client.post(reverse("admin:tasks_taskupdate_change", args=[comment.pk]), {"note": "Sửa"})

    assert response.status_code == 403
    assert TaskUpdate.objects.get(pk=comment.pk).note == "Nguyên văn"


# --- Query count -------------------------------------------------------------------------------------


@pytest.mark.parametrize("comments", [1, 10])
@pytest.mark.parametrize("who", ["leader", "lead_focal_point", "province_admin"])
def test_the_task_pages_query_count_does_not_grow_with_its_comments(
    client, request, lead_focal_point, task, finance, comments, who, django_assert_num_queries
):
    for n in range(comments):
        comment = _comment(task, lead_focal_point, f"Ý kiến {n} gửi @Sở Tài chính")
        if n % 2:
            workflow.withdraw_comment(comment, author=lead_focal_point)
    client.force_login(request.getfixturevalue(who))

    # those of tests/tasks/test_task_page.py (the withdrawals come with the history), and for the
    # comment form the agencies to mention and their aliases, and the provinces a leader holds (an
    # admin's are read anyway; a focal point of the lead is allowed without them)
    with django_assert_num_queries({"leader": 14, "lead_focal_point": 13, "province_admin": 14}[who]):
        response = client.get(reverse("tasks:detail", args=[task.pk]))

    assert response.status_code == 200
