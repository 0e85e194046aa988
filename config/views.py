"""Portal-wide pages and the base list view every app's lists build on."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from plans.models import Plan
from tasks.models import Task


class FilteredTableView(SingleTableMixin, FilterView):
    """A paginated django-tables2 table over a django-filter filterset, scoped to the user.

    Subclasses set ``model``, ``table_class``, ``filterset_class`` and ``template_name``; the
    queryset always starts from the model's ``visible_to(user)``.
    """

    paginate_by = 50

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


def home(request):
    plans = Plan.objects.visible_to(request.user).select_related("province").with_task_counts()
    tasks = Task.objects.visible_to(request.user)
    context = {
        "plans": plans[:10],
        "plan_count": plans.count(),
        "task_count": tasks.count(),
    }
    if request.user.agency_id:
        context["agency_task_count"] = tasks.for_agency(request.user.agency).count()
    if request.user.is_superuser or request.user.is_province_admin:
        context["unknown_deadline_count"] = tasks.unknown_deadline().count()
        context["orphaned_count"] = tasks.orphaned(timezone.localdate()).count()
        context["past_horizon"] = Plan.objects.visible_to(request.user).past_horizon(timezone.localdate())
    return render(request, "home.html", context)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
