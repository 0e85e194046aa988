"""Every error of the API as JSON, in the interface's language (Vietnamese unless the caller chose
English): ``{"detail": "…"}``, or for invalid parameters ``{"field": ["…"]}`` with status 400. DRF's
own catalogue has few Vietnamese messages, so the common ones are said here, through the portal's."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _messages():
    return {
        exceptions.NotAuthenticated: _(
            "Sign in, or send a token or an API key: Authorization: Bearer <secret>."
        ),
        exceptions.NotFound: _("Not found."),
        exceptions.NotAcceptable: _("The API answers in JSON only."),
        exceptions.UnsupportedMediaType: _("Send JSON."),
        exceptions.ParseError: _("The request body is not valid JSON."),
    }


def exception_handler(error, context):
    if isinstance(error, Http404):
        error = exceptions.NotFound()
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied()
    elif isinstance(error, OverflowError):
        # A number too large for the database (SQLite raises, PostgreSQL finds nothing).
        error = exceptions.ValidationError({"detail": [_("The number is too large.")]})
    if isinstance(error, exceptions.Throttled):
        error = exceptions.Throttled(
            error.wait, detail=_("Too many requests: try again in %(seconds)s seconds.")
            % {"seconds": int(error.wait or 1)},
        )
    elif isinstance(error, exceptions.MethodNotAllowed):
        error = exceptions.MethodNotAllowed(
            context["request"].method,
            detail=_("The method %(method)s is not allowed here.") % {"method": context["request"].method},
        )
    else:
        for kind, message in _messages().items():
            if type(error) is kind and error.detail == kind.default_detail:
                error = kind(detail=message)
                break
    return drf_exception_handler(error, context)
