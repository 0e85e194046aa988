"""Who may call what. Reading is settled as on the pages: every endpoint's queryset starts from
``visible_to(request.user)``, so a caller sees their province only and anything else is a 404.
Here: a caller must be signed in or send a credential, and a read-only token or key never writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from agencies.api_keys import AccessToken, APIKey


def credential(request):
    """The token or API key the request was made with, None for a session."""
    return request.auth if isinstance(request.auth, AccessToken | APIKey) else None


class ScopedAccess(permissions.BasePermission):
    """Signed in (session), or a valid token or key; writes only with a session or the read-write
    scope. What the caller's role allows on each object is the endpoint's own check."""

    message = _("This token or API key may only read.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        used = credential(request)
        return used is None or used.writes


class SeesDashboards(permissions.BasePermission):
    """The province's figures (reports, dashboards): its leaders and admins, superusers, and the
    province's API keys — as the *Tổng quan toàn tỉnh* pages."""

    message = _("Only leaders and provincial admins read the province's figures.")

    def has_permission(self, request, view):
        return bool(getattr(request.user, "sees_dashboards", False))
