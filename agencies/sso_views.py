"""The single sign-on pages: the start (a redirect to the identity provider) and the provider's
return. Both answer 404 while single sign-on is not configured."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from agencies.sso import SignOnRefused

logger = logging.getLogger("portal.sso")


class SignOnConfigured:
    def dispatch(self, request, *args, **kwargs):
        if not settings.SSO_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignOnStartView(SignOnConfigured, OIDCAuthenticationRequestView):
    pass


@method_decorator(login_not_required, name="dispatch")
class SignOnReturnView(SignOnConfigured, OIDCAuthenticationCallbackView):
    """The provider's return, every failure told on the log-in page instead of a 400 or a 500."""

    def get(self, request):
        try:
            return super().get(request)
        except SignOnRefused as refusal:
            logger.warning("single sign-on refused: %s", refusal.reason)
            return self._refused(refusal.message)
        except SuspiciousOperation as error:  # an unknown or replayed state, a token that fails
            logger.warning("single sign-on refused: %s", error)
            return self._refused(_("This sign-on has expired or was already used. Please sign on again."))
        except (requests.RequestException, ValueError) as error:
            logger.error("single sign-on: the identity provider did not answer: %s", error)
            return self._refused(_("The identity provider could not be reached. Please try again later."))

    def login_failure(self):
        if self.request.GET.get("error"):
            return self._refused(_("The identity provider did not sign you on."))
        return self._refused(_("Signing on did not finish. Please try again."))

    def _refused(self, message):
        messages.error(self.request, message)
        return redirect(settings.LOGIN_URL)
