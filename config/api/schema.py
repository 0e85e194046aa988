"""The OpenAPI 3 schema's shared parts: how to authenticate, and the introduction the documentation
page shows."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("A personal access token (pat_…, created in My settings) or an API key of "
                             "the province (key_…, issued by a provincial admin)."),
        }


def describe(result, generator, request, public):
    """A postprocessing hook: the introduction, in the interface's language."""
    result["info"]["description"] = _(
        "Read the province's plans, tasks, their periods and history, and the report figures. "
        "Every call sees what its caller sees on the portal's pages: the caller's province only. "
        "Lists are paged by cursor (follow next); filters are those of the portal's lists; "
        "malformed parameters answer 400 with a message."
    )
    return result
