"""Every error of the API as JSON, in the interface's language (Vietnamese unless the caller chose
English): ``{"detail": "…"}``, or for invalid parameters ``{"field": ["…"]}`` with status 400. DRF's
own catalogue has few Vietnamese messages, so the common ones are said here, through the portal's."""

import math

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
    return drf_exception_handler(_said(error, context), context)


def _said(error, context):
    """``error`` with the portal's message, keeping what DRF set on it (the WWW-Authenticate header
    of a 401)."""
    said = _translated(error, context)
    if said is not error and hasattr(error, "auth_header"):
        said.auth_header = error.auth_header
    return said


def _translated(error, context):
    if isinstance(error, Http404):
        error = exceptions.NotFound()
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied()
    elif isinstance(error, OverflowError):
        # A number too large for the database (SQLite raises, PostgreSQL finds nothing).
        return exceptions.ValidationError({"detail": [_("The number is too large.")]})
    if isinstance(error, exceptions.Throttled):
        seconds = math.ceil(error.wait or 1)
        message = _("Too many requests: try again in %(seconds)s seconds.") % {"seconds": seconds}
        return exceptions.Throttled(error.wait, detail=message)
    if isinstance(error, exceptions.MethodNotAllowed):
        method = context["request"].method
        return exceptions.MethodNotAllowed(
            method, detail=_("The method %(method)s is not allowed here.") % {"method": method}
        )
    for kind, message in _messages().items():
        if type(error) is kind and error.detail == kind.default_detail:
            return kind(detail=message)
    return error
