"""Every URL pattern of the project, walked once, and a route filled in with values: what the
permission matrices and the parameter fuzz go through (the pages', the REST API's)."""

import re

from django.urls import URLResolver, get_resolver


def _walk(patterns, route="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner or namespace)
        else:
            name = pattern.name and ":".join(filter(None, [namespace, pattern.name]))
            yield name, route + str(pattern.pattern), namespace


PATTERNS = list(_walk(get_resolver().url_patterns))
APP_PATTERNS = [(name, route) for name, route, namespace in PATTERNS if namespace not in ("admin", "api")]
API_PATTERNS = [(name, route) for name, route, namespace in PATTERNS if namespace == "api"]
ADMIN_PATTERNS = [(name, route) for name, route, namespace in PATTERNS if namespace == "admin"]


def fill(route, values):
    """The URL of a route (path converters or a regular expression) with ``values`` filled in."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)
    return "/" + url.replace("^", "").replace("$", "")
