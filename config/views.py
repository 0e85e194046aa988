"""Portal-wide pages, the log-in protection's pages, and the base list view every app's lists build on."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from config.security import client_address, within_rate
from plans.models import Plan
from reports import home as home_figures
from tasks.models import Task

# The largest page of any table, whatever ?per_page= asks for.
MAX_PER_PAGE = 500


class BoundedPaginator(Paginator):
    """The paginator of every django-tables2 table: django-tables2 takes ?per_page= as written (a
    size below 1 answered 500; a huge one would render every row), so the size is kept within
    1..MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class FilteredTableView(SingleTableMixin, FilterView):
    """A paginated django-tables2 table over a django-filter filterset, scoped to the user.

    Subclasses set ``model``, ``table_class``, ``filterset_class`` and ``template_name``; the
    queryset always starts from the model's ``visible_to(user)``.
    """

    paginate_by = 50
    paginator_class = BoundedPaginator

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def paginate_queryset(self, queryset, page_size):
        """The table paginates itself (django-tables2, ``paginate_by``); ListView's pagination of the
        same rows, which no template reads, would count them a second time (issue 16: 0.7 s of the
        overdue task list at 100,000 tasks)."""
        return None, None, queryset, False


def home(request):
    """One URL, what each role needs first (see :mod:`reports.home`), then the latest plans."""
    user, today = request.user, timezone.localdate()
    plans = Plan.objects.visible_to(user).select_related("province").with_task_counts()
    tasks = Task.objects.visible_to(user)
    context = {
        "today": today,
        "plans": plans[:10],
        "plan_count": plans.count(),
        "task_count": tasks.count(),
    }
    if user.agency_id:
        context["agency_task_count"] = tasks.for_agency(user.agency, on=today).count()
    if user.is_superuser or user.is_province_admin:
        context["role_home"] = "admin"
        context.update(home_figures.admin_figures(user, today))
    elif user.is_focal_point:
        context["role_home"] = "focal_point"
        context["work"] = home_figures.focal_point_figures(user, today)
    elif user.sees_dashboards:
        context["role_home"] = "leader"
        context.update(home_figures.leader_figures(user.province, today))
    return render(request, "home.html", context)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def local_login_only(view):
    """The view while local log-in is on; 404 once the province signs everyone on through its
    identity provider (``LOCAL_LOGIN_ENABLED=false``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def locked_out(request, original_response, credentials):
    """What django-axes answers (``AXES_LOCKOUT_CALLABLE``) to a log-in, on the portal's page or the
    admin's, from an account or an address past ``AXES_FAILURE_LIMIT`` failures."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, sending at most ``PASSWORD_RESET_ADDRESS_LIMIT`` e-mails an hour to requests from
    one client address and ``PASSWORD_RESET_ACCOUNT_LIMIT`` an hour for one e-mail address (counted
    whether or not an account has it, so the answer tells nothing about the accounts)."""

    def form_valid(self, form):
        address = client_address(self.request) or ""
        email = form.cleaned_data["email"].casefold()
        if not (
            within_rate("password-reset-address", address, settings.PASSWORD_RESET_ADDRESS_LIMIT, 3600)
            and within_rate("password-reset-account", email, settings.PASSWORD_RESET_ACCOUNT_LIMIT, 3600)
        ):
            form.add_error(None, _("Too many password reset requests. Please try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
