"""The schema and its documentation page, open to anyone who reaches the portal (they describe the
API, and hold no data), and the JSON 404 of any other path under /api/v1/."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ``?format=json`` for JSON), in the interface's language."""

    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored drf-spectacular-sidecar files. Its set-up script is a separate
    file (``?script``), not an inline script, and the page has no ``<style>`` element: the portal's
    Content-Security-Policy holds on it unchanged."""

    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"


@csrf_exempt  # a POST there is answered the JSON 404 too, not the CSRF failure page: it changes nothing
def not_found(request, *args, **kwargs):
    """A path under /api/v1/ that names no endpoint (or an id that is no number)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
