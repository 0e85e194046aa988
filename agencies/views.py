from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_tables2 import RequestConfig

from agencies.filters import AgencyFilter
from agencies.models import Agency
from agencies.tables import AgencyTable
from config.views import FilteredTableView
from tasks.models import AssignmentRole, Task
from tasks.tables import TaskTable

AGENCY_TASKS_PER_PAGE = 25


class AgencyListView(FilteredTableView):
    model = Agency
    table_class = AgencyTable
    filterset_class = AgencyFilter
    template_name = "agencies/agency_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("province")
            .annotate(
                lead_count=Count("assignments", filter=Q(assignments__role=AssignmentRole.LEAD)),
                coordinator_count=Count(
                    "assignments", filter=Q(assignments__role=AssignmentRole.COORDINATOR)
                ),
            )
            .order_by("province__name", "name")
        )


def agency_detail(request, pk):
    agency = get_object_or_404(
        Agency.objects.visible_to(request.user).select_related("province", "parent", "successor"), pk=pk
    )
    tasks = (
        Task.objects.visible_to(request.user)
        .select_related("plan")
        .with_assignments()
        .with_state(timezone.localdate())
    )
    tables = {}
    for role, prefix in [(AssignmentRole.LEAD, "lead-"), (AssignmentRole.COORDINATOR, "co-")]:
        table = TaskTable(tasks.for_agency(agency, role=role), prefix=prefix, exclude=["deliverable"])
        RequestConfig(request, paginate={"per_page": AGENCY_TASKS_PER_PAGE}).configure(table)
        tables[role] = table
    context = {
        "agency": agency,
        "aliases": agency.aliases.all(),
        "groups": agency.member_of.all(),
        "lead_table": tables[AssignmentRole.LEAD],
        "coordinator_table": tables[AssignmentRole.COORDINATOR],
    }
    return render(request, "agencies/agency_detail.html", context)
