"""The project's Django admin site: every list, ours and the installed apps' alike, answers malformed
filters as the admin answers an unknown one (its "invalid lookup" page, ``?e=1``) instead of a 500:
``?status__exact=<NUL>`` (PostgreSQL cannot compare text with one) and
``?due__year=99999999999999999999`` (an integer past a C long when the SQL is compiled)."""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


def _invalid_lookup(request):
    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


class PortalAdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        # Without local log-in the admin's password form could only fail: the portal's log-in page
        # offers the identity provider.
        if not settings.LOCAL_LOGIN_ENABLED:
            from django.contrib.auth.views import redirect_to_login  # this module loads before the apps

            return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
        return super().login(request, extra_context)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def answering_malformed_lookups(request, *args, **kwargs):
            if any("\x00" in value for _name, values in request.GET.lists() for value in values):
                return _invalid_lookup(request)
            try:
                return guarded(request, *args, **kwargs)
            except OverflowError:
                return _invalid_lookup(request)

        return answering_malformed_lookups


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin_site.PortalAdminSite"
