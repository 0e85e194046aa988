from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.views import FilteredTableView
from plans.filters import PlanFilter
from plans.forms import PlanSettingsForm
from plans.models import Plan, PlanStatus, open_periodic_task
from plans.tables import PlanTable
from tasks.models import Task
from tasks.permissions import can_edit_plan
from tasks.states import state_counts
from tasks.targets.standing import count_states, standings_on

APPENDIX_PAGE_SIZE = 50


class PlanListView(FilteredTableView):
    model = Plan
    table_class = PlanTable
    filterset_class = PlanFilter
    template_name = "plans/plan_list.html"

    def get_queryset(self):
        # Aggregates drop Meta.ordering from GROUP BY queries: order explicitly for stable pages.
        return (
            super()
            .get_queryset()
            .select_related("province")
            .with_task_counts()
            .order_by("-reference_date", "number")
        )


def plan_detail(request, pk):
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related(
            "province__successor", "report_recipient__successor"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    tasks = Task.objects.filter(plan=plan).with_state(today)
    listed = tasks.select_related("section").with_assignments().with_orphaned(today)
    page = Paginator(listed, APPENDIX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "plan": plan,
        "recipient": plan.report_recipient_on(today),
        "page": page,
        "counts": state_counts(tasks, today),
        "today": today,
        "can_edit": can_edit_plan(request.user, plan),
    }
    context["targets"] = standings_on(plan.targets.all(), today)
    context["target_counts"] = count_states(context["targets"])
    if plan.status == PlanStatus.ACTIVE and plan.horizon_passed(today):
        context["open_periodic_work"] = plan.tasks.filter(open_periodic_task()).count()
    return render(request, "plans/plan_detail.html", context)


@require_POST
def plan_horizon(request, pk):
    """The plan's admin answers a passed horizon: track its periods up to the end of this year, or
    close the plan."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    today = timezone.localdate()
    action = request.POST.get("action")
    if action == "extend" and plan.horizon_year < today.year:
        with transaction.atomic():
            plan.end_year = today.year
            plan.save(update_fields=["end_year", "updated_at"])
            plan.tasks.sync_occurrences()
        message = _("Periods are now tracked until the end of %(year)s.") % {"year": today.year}
        messages.success(request, message)
    elif action == "close":
        plan.status = PlanStatus.CLOSED
        plan.save(update_fields=["status", "updated_at"])
        messages.success(request, _("The plan is closed: its tasks are no longer followed up."))
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect(plan)


def plan_settings(request, pk):
    """The plan's admin sets its horizon, reporting cycle and reminder policy."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    form = PlanSettingsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if {"end_year", "reporting_deadline_text"} & set(form.changed_data):
                plan.tasks.sync_occurrences()
        messages.success(request, _("The plan's settings have been saved."))
        return redirect(plan)
    return render(request, "plans/plan_settings.html", {"plan": plan, "form": form})
