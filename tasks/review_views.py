"""The provincial admin's review queue (``/tasks/review/``): work reported complete that awaits
acceptance, each item with who reported it and when, what was reported and with which evidence, its
due date and whether it was reported in time; accepted or returned in place (htmx swaps the item for
its outcome; without JavaScript a plain form redirects back with a message), or several at once; and
the extension requests waiting for a decision.

Each view checks tasks.permissions; the items come from ``visible_to`` querysets of work awaiting
acceptance (another province's work, or work already decided, is refused and never changed), and
every decision goes through tasks.workflow.review with the version the admin saw.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tasks import reviewing
from tasks.models import ExtensionRequest
from tasks.permissions import can_open_review_queue
from tasks.review_forms import BulkReviewForm, ReviewItemForm
from tasks.targets.models import ReportStatus, TargetReport

REVIEW_PER_PAGE = 50


def _check(request):
    if not can_open_review_queue(request.user):
        raise PermissionDenied


def _page(request, rows, per_page, param="page"):
    return Paginator(rows, per_page).get_page(request.GET.get(param))


@require_GET
def review_queue(request):
    """Work awaiting acceptance, most urgent first, and extension requests, oldest first."""
    _check(request)
    today = timezone.localdate()
    page = _page(request, reviewing.queue_rows(request.user, today), REVIEW_PER_PAGE)
    extensions = _page(
        request,
        ExtensionRequest.objects.visible_to(request.user)
        .pending()
        .select_related("task__plan", "occurrence__task", "requested_by", "agency")
        .order_by("created_at", "pk"),
        REVIEW_PER_PAGE,
        "ext_page",
    )
    target_values = _page(
        request,
        TargetReport.objects.visible_to(request.user).filter(status=ReportStatus.AWAITING)
        .select_related("target__plan", "agency").order_by("created_at", "pk"),
        REVIEW_PER_PAGE,
        "value_page",
    )
    context = {
        "page": page,
        "items": reviewing.review_items(page.object_list, request.user, today),
        "extensions": extensions,
        "target_values": target_values,
        "bulk_form": BulkReviewForm(),
    }
    return render(request, "tasks/review_queue.html", context)


@require_POST
def decide(request):
    """Accept or return one item of the queue: htmx gets the item's outcome in its place (or the item
    again with the refusal), a plain form a redirect to the queue with a message."""
    _check(request)
    today = timezone.localdate()
    form = ReviewItemForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, form.first_error())
            return redirect("tasks:review_queue")
        ref = form.posted_item()
        if ref is None:
            context = {"text": form.first_error(), "tone": "danger"}
            return _render(request, "tasks/_review_outcome.html", context)
        task, occurrence = reviewing.queue_target(request.user, ref)
        refusal = reviewing.Decision(ref, False, False, form.first_error(), task, occurrence)
        return _fragments(request, [refusal], today, note=form.data.get("note", ""), primary=True)
    decisions = reviewing.decide(
        request.user, [form.ref()], accept=form.accept, note=form.cleaned_data["note"]
    )
    if not request.htmx:
        _tell(request, decisions, today)
        return redirect("tasks:review_queue")
    return _fragments(request, decisions, today, note=form.cleaned_data["note"], primary=True)


@require_POST
def decide_many(request):
    """Accept or return the items selected, each on its own (one refused leaves the others to go
    through); says how many were accepted or returned and which were refused, and why."""
    _check(request)
    today = timezone.localdate()
    form = BulkReviewForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, form.first_error())
            return redirect("tasks:review_queue")
        return _render(request, "tasks/_review_bulk_result.html", {"form_error": form.first_error()})
    decisions = reviewing.decide(
        request.user, form.cleaned_data["items"], accept=form.accept, note=form.cleaned_data["note"]
    )
    if not request.htmx:
        _tell_many(request, decisions, form.accept)
        return redirect("tasks:review_queue")
    return _fragments(request, decisions, today, summary=_summary(decisions, form.accept))


def _render(request, template, context):
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _fragments(request, decisions, today, note="", primary=False, summary=None):
    """The htmx answer to a decision: for each item, its outcome, or (refused while it still awaits
    acceptance) the item again with the refusal, as the database now holds it; the other items of the
    same tasks, whose version the decision moved on, refreshed; and the queue's count. With
    ``primary`` the first item is the swap's own target (one item decided), else ``summary`` is."""
    user = request.user
    task_ids = {d.task.pk for d in decisions if d.task is not None}
    current = {}
    if task_ids:
        rows = list(reviewing.queue_rows(user, today, task_ids))
        current = {item.dom_id: item for item in reviewing.review_items(rows, user, today)}
    decided = {d.ref.dom_id for d in decisions}
    parts = []
    for decision in decisions:
        dom_id = decision.ref.dom_id
        if decision.done:
            tone = "success" if decision.accept else "secondary"
            text = reviewing.outcome_text(decision, today)
            parts.append({"kind": "outcome", "dom_id": dom_id, "decision": decision, "text": text,
                          "tone": tone})
        elif dom_id in current:
            parts.append({"kind": "item", "item": current[dom_id], "error": decision.error, "note": note})
        else:
            parts.append({"kind": "outcome", "dom_id": dom_id, "decision": decision, "text": decision.error,
                          "tone": "danger"})
    parts += [{"kind": "item", "item": item} for dom_id, item in current.items() if dom_id not in decided]
    context = {
        "parts": parts,
        "primary": parts.pop(0) if primary else None,
        "summary": summary,
        "awaiting_count": reviewing.queue_rows(user, today).count(),
    }
    return _render(request, "tasks/_review_fragments.html", context)


def _summary(decisions, accept):
    done = sum(d.done for d in decisions)
    if accept:
        counted = ngettext("%(n)d item accepted.", "%(n)d items accepted.", done) % {"n": done}
    else:
        counted = ngettext("%(n)d item returned.", "%(n)d items returned.", done) % {"n": done}
    return {"counted": counted, "done": done, "refused": [d for d in decisions if not d.done]}


def _tell(request, decisions, today):
    for decision in decisions:
        if decision.done:
            said = {"item": decision.label, "outcome": reviewing.outcome_text(decision, today)}
            messages.success(request, _("%(item)s: %(outcome)s") % said)
        else:
            error = decision.error
            messages.error(request, _("%(item)s: %(error)s") % {"item": decision.label, "error": error})


def _tell_many(request, decisions, accept):
    summary = _summary(decisions, accept)
    (messages.success if summary["done"] else messages.info)(request, summary["counted"])
    for decision in summary["refused"]:
        messages.error(
            request, _("Not changed: %(item)s: %(error)s") % {"item": decision.label, "error": decision.error}
        )
