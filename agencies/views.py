from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.calendar import agency_calendar
from agencies.credential_views import pop_new_secret
from agencies.filters import AgencyFilter
from agencies.forms import AccessTokenForm, ProfileForm
from agencies.models import Agency, User, hash_calendar_token
from agencies.tables import AgencyTable
from config.views import BoundedPaginator, FilteredTableView
from tasks.models import AssignmentRole, Task, TaskAssignment
from tasks.permissions import can_hand_over, can_urge
from tasks.tables import TaskTable

AGENCY_TASKS_PER_PAGE = 25
# The new calendar link, kept in the session from its creation to the next profile page: it is shown
# that once, since only its hash is stored.
NEW_CALENDAR_URL = "new_calendar_url"


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
                lead_count=_task_count(AssignmentRole.LEAD),
                coordinator_count=_task_count(AssignmentRole.COORDINATOR),
            )
            .order_by("province__name", "name")
        )


def _task_count(role):
    """The number of tasks each agency answers for in ``role`` today, counted as its page lists them
    (``Task.objects.for_agency``: through its groups and the agencies merged into it too)."""
    answered = Agency.objects.answered_by(OuterRef(OuterRef("pk")), timezone.localdate()).values("pk")
    tasks = (
        TaskAssignment.objects.in_force(timezone.localdate()).filter(agency__in=answered, role=role)
        .order_by()
        .values("role")
        .annotate(count=Count("task", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(tasks), 0)


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
    # An agency that has ended answers for nothing today: its page lists what it answered for on
    # its last day (the hand-over and the orphaned work start from there).
    on = min(timezone.localdate(), agency.active_until or timezone.localdate())
    tables = {}
    for role, prefix in [(AssignmentRole.LEAD, "lead-"), (AssignmentRole.COORDINATOR, "co-")]:
        table = TaskTable(tasks.for_agency(agency, role=role, on=on), prefix=prefix, exclude=["deliverable"])
        paginate = {"per_page": AGENCY_TASKS_PER_PAGE, "paginator_class": BoundedPaginator}
        RequestConfig(request, paginate=paginate).configure(table)
        tables[role] = table
    context = {
        "agency": agency,
        "aliases": agency.aliases.all(),
        "groups": agency.member_of.all(),
        "predecessors": agency.predecessors.filter(active_until__lt=timezone.localdate()),
        "can_hand_over": can_hand_over(request.user),
        "can_urge": can_urge(request.user),  # the agency is visible_to the user: of a province they hold
        "lead_table": tables[AssignmentRole.LEAD],
        "coordinator_table": tables[AssignmentRole.COORDINATOR],
    }
    return render(request, "agencies/agency_detail.html", context)


def profile(request):
    """The user's own settings: e-mail reminders, the secret calendar link, personal access tokens."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings have been saved."))
        return redirect("agencies:profile")
    context = {
        "form": form,
        "new_calendar_url": request.session.pop(NEW_CALENDAR_URL, None),
        "new_token": pop_new_secret(request),
        "tokens": request.user.access_tokens.usable(),
        "token_form": AccessTokenForm(),
    }
    return render(request, "agencies/profile.html", context)


@require_POST
def calendar_link(request):
    """Create or renew (``renew``) or revoke (``revoke``) the user's calendar link."""
    if request.POST.get("action") == "revoke":
        request.user.revoke_calendar_token()
        messages.success(request, _("The calendar link has been revoked."))
    else:
        token = request.user.renew_calendar_token()
        url = reverse("agencies:calendar", args=[token])
        request.session[NEW_CALENDAR_URL] = request.build_absolute_uri(url)
        messages.success(request, _("A new calendar link has been created; the old one no longer works."))
    return redirect("agencies:profile")


@login_not_required
def calendar_feed(request, token):
    """The secret link is the credential: calendar programs cannot log in."""
    user = User.objects.filter(
        calendar_token_hash=hash_calendar_token(token), is_active=True, agency__isnull=False
    ).first()
    if user is None:
        raise Http404
    response = HttpResponse(agency_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="thoi-han.ics"'
    return response
