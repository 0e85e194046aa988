"""The urging pages (``tasks.urging``): choosing the work to urge and sending the notice, the
notices sent, one notice, and its letter (Công văn đôn đốc) as a .docx."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Province
from config.params import pk_params
from reports.documents.urging_letter import DEFAULT_SIGNER_TITLE, default_subject, render_urging_letter
from tasks.models import AssignmentRole, Task, UrgingNotice
from tasks.permissions import can_urge
from tasks.urging import candidates, last_signer, letter_of, notice_groups, send, urgeable
from tasks.urging_forms import UrgeSelectionForm, UrgingForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTICES_PER_PAGE = 30
REPORT_WITHIN_DAYS = 7  # the date to report back by the page proposes


def _chosen_ids(request):
    """The ids of ``?task=`` (repeatable), and whether some could not be read."""
    values = request.GET.getlist("task")
    ids = pk_params(values)
    return sorted(set(ids)), len(ids) < len(values)


def _selection(request, today):
    """The filters, the task ids chosen, the :class:`~tasks.urging.Candidates` they list (none while
    the filters are invalid) and what the page should say about the selection (shown with the list,
    not as messages: they would follow a sent notice to its page)."""
    form = UrgeSelectionForm(request.GET, user=request.user, on=today)
    ids, unreadable = _chosen_ids(request)
    notes = []
    if unreadable:
        notes.append(_("Some of the task numbers in the address could not be read; they were left out."))
    if not form.is_valid():
        return form, ids, None, notes
    data = form.cleaned_data
    tasks = Task.objects.visible_to(request.user)
    if data["plan"]:
        tasks = tasks.filter(plan=data["plan"])
    if data["agency"]:
        tasks = tasks.for_agency(data["agency"], role=AssignmentRole.LEAD, on=today)
    if ids:
        tasks = tasks.filter(pk__in=ids)
    found = candidates(urgeable(tasks, today, data["state"], data["days"]), today, data["agency"])
    if ids and found.task_count + len(found.unanswered) < len(ids):
        left_out = len(ids) - found.task_count - len(found.unanswered)
        notes.append(ngettext(
            "%(count)d task chosen is not listed: it is completed, cancelled, awaiting acceptance, neither "
            "overdue nor due soon, or not one of your province's.",
            "%(count)d tasks chosen are not listed: they are completed, cancelled, awaiting acceptance, "
            "neither overdue nor due soon, or not your province's.",
            left_out,
        ) % {"count": left_out})
    return form, ids, found, notes


def _province_of(user, lines, today):
    """The province a notice about ``lines`` belongs to: the admin's; for a superuser, the one
    holding the tasks' plans today (None if they belong to several)."""
    if not user.is_superuser:
        return user.province
    holders = {line.task.plan.province.in_office_on(today).pk for line in lines}
    return Province.objects.get(pk=holders.pop()) if len(holders) == 1 else None


@require_http_methods(["GET", "POST"])
def urge(request):
    """The work to urge, by agency (who answers today), ticked, and the notice to send about it.

    The filters (``?plan=``, ``?agency=``, ``?state=``, ``?days=``, ``?task=`` repeated) stay in
    the address when the notice is sent: the POST lists the same work again and sends only what is
    both listed and ticked."""
    if not can_urge(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    selection, ids, found, notes = _selection(request, today)
    lines = found.lines if found else []
    title, name = last_signer(UrgingNotice.objects.visible_to(request.user))
    plans = {line.task.plan.number: None for line in lines}
    initial = {
        "item": [line.key for line in lines],
        "subject": default_subject(plans),
        "signer_title": title or DEFAULT_SIGNER_TITLE,
        "signer_name": name,
        "report_by": today + datetime.timedelta(days=REPORT_WITHIN_DAYS),
    }
    form = UrgingForm(request.POST or None, initial=initial, keys=[line.key for line in lines], on=today)
    if request.method == "POST" and form.is_valid():
        ticked = set(form.cleaned_data["item"])
        chosen = [line for line in lines if line.key in ticked]
        province = _province_of(request.user, chosen, today)
        if province is None:
            form.add_error(
                None, _("These tasks belong to several provinces: choose a plan or an agency first.")
            )
        elif not can_urge(request.user, province):
            raise PermissionDenied
        else:
            data = form.cleaned_data
            notice = send(
                chosen, author=request.user, province=province, on=today, subject=data["subject"],
                message=data["message"], report_by=data["report_by"], signer_title=data["signer_title"],
                signer_name=data["signer_name"],
            )
            messages.success(request, _("The urging notice has been sent."))
            return redirect(notice)
    ticked = set(form["item"].value() or [])
    context = {
        "selection": selection, "form": form, "found": found, "ticked": ticked, "task_ids": ids,
        "notes": notes,
    }
    return render(request, "tasks/urge.html", context)


@require_GET
def notice_list(request):
    """The urging notices sent in the admin's province (and those merged into it), latest first."""
    if not can_urge(request.user):
        raise PermissionDenied
    notices = (
        UrgingNotice.objects.visible_to(request.user)
        .select_related("created_by", "province")
        .annotate(tasks=Count("items__task", distinct=True), agencies=Count("items__agency", distinct=True))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/urging_list.html", {"page": page})


@require_GET
def notice_detail(request, pk):
    """What a notice said, about which tasks, to whom. Everyone of the province reads it (its
    history entries and notifications point here); the letter is its admins'."""
    notice = get_object_or_404(
        UrgingNotice.objects.visible_to(request.user).select_related("created_by", "province"), pk=pk
    )
    recipients = {}
    for notification in notice.notifications.select_related("recipient").order_by("recipient__username"):
        recipients.setdefault(notification.recipient.agency_id, []).append(notification.recipient)
    groups = [(agency, items, recipients.get(agency.pk, [])) for agency, items in notice_groups(notice)]
    context = {
        "notice": notice, "groups": groups, "can_urge": can_urge(request.user, notice.province),
        "task_count": len({item.task_id for _agency, items, _people in groups for item in items}),
    }
    return render(request, "tasks/urging_notice.html", context)


@require_GET
def letter(request, pk):
    """The notice's Công văn đôn đốc, to register and sign in the e-office system."""
    notice = get_object_or_404(
        UrgingNotice.objects.visible_to(request.user).select_related("province"), pk=pk
    )
    if not can_urge(request.user, notice.province):
        raise PermissionDenied
    response = HttpResponse(render_urging_letter(letter_of(notice)), content_type=DOCX)
    name = f"cong-van-don-doc-{notice.sent_on.isoformat()}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
