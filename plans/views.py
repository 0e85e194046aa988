from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from config.views import FilteredTableView
from plans.filters import PlanFilter
from plans.models import Plan
from plans.tables import PlanTable
from tasks.models import Task

APPENDIX_PAGE_SIZE = 200


class PlanListView(FilteredTableView):
    model = Plan
    table_class = PlanTable
    filterset_class = PlanFilter
    template_name = "plans/plan_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("province").with_task_counts()


def plan_detail(request, pk):
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("province", "report_recipient"), pk=pk
    )
    tasks = Task.objects.filter(plan=plan).select_related("section").with_assignments()
    page = Paginator(tasks, APPENDIX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/plan_detail.html", {"plan": plan, "page": page})
