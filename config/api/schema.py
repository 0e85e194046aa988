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


ERRORS = {
    "400": ("ValidationErrors", {
        "type": "object", "description": "Each malformed parameter with its messages.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }),
    "401": ("Error", None), "403": ("Error", None), "404": ("Error", None), "405": ("Error", None),
    "429": ("Error", None),
}
ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# What a write may answer besides (``tasks.api_writes``): the task changed since it was read, with
# its current version; a change the workflow refuses, with its message.
WRITE_ERRORS = {
    "409": ("Conflict", {
        "type": "object", "required": ["detail", "version"],
        "properties": {"detail": {"type": "string"}, "version": {"type": "integer"}},
    }),
    "422": ("Error", None),
}


def describe(result, generator, request, public):
    """A postprocessing hook: the introduction, in the interface's language; the errors every
    endpoint may answer (``config.api.errors``), so that clients and Schemathesis expect them; and
    empty query parameters allowed."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    for name, schema in [*ERRORS.values(), *WRITE_ERRORS.values()]:
        if schema:
            schemas[name] = schema
    for path in result["paths"].values():
        for method, operation in path.items():
            for parameter in operation.get("parameters", []):
                # As in the portal's lists, an empty parameter (?plan=) is no filter.
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            errors = {**ERRORS, **WRITE_ERRORS} if method == "post" else ERRORS
            for status, (name, _schema) in errors.items():
                operation["responses"].setdefault(status, {
                    "description": "",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                })
    result["info"]["description"] = _(
        "Read the province's plans, tasks, their periods and history, and the report figures; report on "
        "tasks, review their work, decide extensions, hand tasks over and import appendices. "
        "Every call sees what its caller sees on the portal's pages: the caller's province only. "
        "Lists are paged by cursor (follow next); filters are those of the portal's lists; "
        "malformed parameters answer 400 with a message. A write goes through the pages' workflow: "
        "a task changed since it was read answers 409 with its current version, a change the workflow "
        "refuses 422 with the reason."
    )
    return result
