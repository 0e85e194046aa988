"""``/api/v1/``: the endpoints of every app, the OpenAPI schema and its documentation page.

The portal asks every page for a signed-in session (``LoginRequiredMiddleware``); the API's
endpoints authenticate by themselves (a session, a token or a key: ``config.api.authentication``),
so they are exempt from it, and answer 401 in JSON rather than redirect to the log-in page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet, ProvinceViewSet
from config.api import schema  # noqa: F401 - registers the bearer scheme
from config.api.views import DocsView, SchemaView, not_found
from plans.api import PlanViewSet
from plans.import_api import ImportViewSet
from reports.api import ReportFiguresView
from tasks.api import EvidenceViewSet, HistoryViewSet, PeriodViewSet, TaskViewSet
from tasks.api_writes import ExtensionViewSet
from tasks.handover_api import HandoverViewSet
from tasks.targets.api import TargetViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("provinces", ProvinceViewSet, basename="province")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
router.register("periods", PeriodViewSet, basename="period")
router.register("history", HistoryViewSet, basename="history")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("targets", TargetViewSet, basename="target")
router.register("extensions", ExtensionViewSet, basename="extension")
router.register("handovers", HandoverViewSet, basename="handover")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = [
    *router.urls,
    path("reports/figures/", ReportFiguresView.as_view(), name="report-figures"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ is a 404 in JSON, not the portal's page.
    re_path(r"^.*$", not_found),
]

for pattern in urlpatterns:
    login_not_required(pattern.callback)

