"""The hand-over page: a provincial admin hands one task, a selection, or all open tasks of an
agency over to agencies in force (``tasks.handover``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from agencies.models import Agency
from config.params import pk_param, pk_params
from tasks.forms import HandoverForm
from tasks.handover import hand_over, open_tasks_of
from tasks.models import AssignmentRole, Task
from tasks.permissions import can_hand_over


@require_http_methods(["GET", "POST"])
def handover(request):
    """``?agency=`` the agency whose tasks are handed over; ``?task=`` (repeatable) preselects."""
    if not can_hand_over(request.user):
        raise PermissionDenied
    agency_id = pk_param(request.GET.get("agency"))
    if agency_id is None:
        messages.error(request, _("Choose the agency whose tasks are handed over."))
        return redirect("agencies:list")
    agency = get_object_or_404(Agency.objects.visible_to(request.user), pk=agency_id)
    today = timezone.localdate()
    tasks = open_tasks_of(agency, Task.objects.visible_to(request.user), today)
    tasks = tasks.select_related("plan").order_by("plan__number", "position")
    agencies = Agency.objects.visible_to(request.user).active(today).order_by("name")
    chosen = pk_params(request.GET.getlist("task"))
    initial = {
        "tasks": tasks.filter(pk__in=chosen) if chosen else tasks,
        "role": request.GET.get("role") if request.GET.get("role") in AssignmentRole.values
        else AssignmentRole.LEAD,
    }
    form = HandoverForm(
        request.POST or None, initial=initial, tasks=tasks, agencies=agencies, from_agency=agency
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        handed = hand_over(
            Task.objects.filter(pk__in=[task.pk for task in data["tasks"]]),
            from_agency=agency, to_agencies=list(data["to_agencies"]), role=data["role"],
            decision=data["decision"], effective_on=data["effective_on"], user=request.user,
            note=data["note"],
        )
        count = handed.ended_assignments.values("task").distinct().count()
        text = ngettext("%(count)d task handed over to %(agencies)s.",
                        "%(count)d tasks handed over to %(agencies)s.", count)
        names = ", ".join(a.name for a in data["to_agencies"])
        messages.success(request, text % {"count": count, "agencies": names})
        return redirect(agency)
    return render(request, "tasks/handover_form.html", {"form": form, "agency": agency, "tasks": tasks})
