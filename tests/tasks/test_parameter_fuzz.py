"""Malformed parameters never answer 5xx: every URL pattern of the portal, with each query parameter,
form field and path converter it reads given malformed values.

The names a view reads are found by watching the request's ``GET`` and ``POST`` while it answers a
well-formed request, so a parameter added to a view is fuzzed without being listed here. Each URL is
tried, GET and POST, as each kind of user who gets in (a focal point, a leader, a provincial admin, a
superuser, or anyone for the public pages: the permission matrix's cast) with every parameter
malformed at once, each value in each parameter. When a request is turned away (a 404, a redirect),
the view may have refused the first parameter it read before reading the others: each is then tried
alone, the others well formed, so no parameter hides behind another.
"""

import contextlib
import itertools
import re
from urllib.parse import quote, urlencode

import pytest
from django.http import QueryDict
from django.test import Client

from agencies.models import Role
from tests.factories import UserFactory
from tests.tasks.test_permissions_matrix import MATRIX
from tests.url_patterns import APP_PATTERNS, fill

pytestmark = pytest.mark.django_db

# Each kind of malformed value: not a number, a non-ASCII digit, negative, past any integer column, a
# year 1 and a year 9999 period, a NUL character, far too long, a far date.
BAD_VALUES = ["abc", "²", "-1", "99999999999999999999", "0001", "9999-Q4", "\x00", "x" * 2000, "31/12/9999"]
# A parameter tried alone (when the view turned the others away) gets the values that reached a 500
# most often before parameters were validated.
ALONE_VALUES = ["abc", "99999999999999999999", "\x00"]
# Path segments: the int converter takes ASCII digits only (the rest is the resolver's 404, tried
# anyway); str converters take anything but "/".
BAD_SEGMENTS = ["abc", "²", "0", "99999999999999999999", "\x00", "x" * 1000]
# The kinds of user, each as the first of its roles who gets in (the matrix's cast, and a superuser);
# the first kind who gets in also tries each parameter alone.
KINDS = (("admin", "other_admin"), ("lead", "coordinator", "unrelated"), ("leader",), ("superuser",),
         ("anonymous",))


def _baseline(world):
    """Well-formed values of the parameters that open a view's other branches (a plan's submissions
    need ?plan=, the hand-over page ?agency=)."""
    return {
        "plan": str(world.plan.pk), "agency": str(world.agency.pk), "province": world.plan.province.slug,
        "period": "2024", "kind": "agency",
    }


@contextlib.contextmanager
def _names_read():
    """The keys looked up in any QueryDict meanwhile (GET or POST, by get, getlist, [] or in)."""
    read = set()

    def spy(method):
        def looked_up(self, key, *args, **kwargs):
            read.add(key)
            return method(self, key, *args, **kwargs)

        return looked_up

    with pytest.MonkeyPatch.context() as patch:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            patch.setattr(QueryDict, name, spy(getattr(QueryDict, name)))
        yield read


@pytest.fixture
def fuzz_clients(clients):
    """The cast's clients and a superuser's, answering a view's exception with the 500 a user gets."""
    root = Client()
    # As createsuperuser makes one: a leader of no province.
    root.force_login(UserFactory(is_superuser=True, role=Role.LEADER, province=None, agency=None))
    clients = {**clients, "superuser": root}
    for client in clients.values():
        client.raise_request_exception = False
    return clients


def _sender(client, method, url):
    """Sends parameters as a GET's query, or as a POST's query and body (a POST view may read both)."""
    if method == "get":
        return lambda data: client.get(url, data).status_code
    return lambda data: client.post(f"{url}?{urlencode(data)}", data).status_code


def _names(send, baseline):
    with _names_read() as read:
        send(baseline)
    return sorted(read - {"csrfmiddlewaretoken"})


def _case(method, url, role, data, status):
    shown = {name: value[:12] for name, value in data.items()}
    return f"{method.upper()} {url} {shown} as {role}: {status}"


def _rotations(names, values, first=0):
    """Requests in which each name meets each value (from the ``first`` rotation on), beside other
    names given other malformed values."""
    return [{name: values[(offset + i) % len(values)] for i, name in enumerate(names)}
            for offset in range(first, first + len(values))]


def _fuzz(url, method, roles, clients, baseline):
    """A description of each 5xx. The first kind of user meets every value in every parameter, then,
    when a request was turned away, each parameter alone; each other kind, one request of them."""
    found = []
    for index, role in enumerate(roles):
        send = _sender(clients[role], method, url)
        names = _names(send, baseline)
        requests = _rotations(names, BAD_VALUES, first=index)[: None if index == 0 else 1] if names else []
        statuses = [send(data) for data in requests]
        found += [_case(method, url, role, data, status)
                  for data, status in zip(requests, statuses, strict=True) if status >= 500]
        if index == 0 and any(status != 200 for status in statuses):
            for name, value in itertools.product(names, ALONE_VALUES):
                if (status := send({**baseline, name: value})) >= 500:
                    found.append(_case(method, url, role, {name: value}, status))
    return found


def _roles(allowed):
    """The first role of each kind who gets in (a superuser always does)."""
    allowed = allowed | {"superuser"}
    return [next(role for role in kind if role in allowed) for kind in KINDS if allowed & set(kind)]


@pytest.mark.parametrize(("name", "route"), APP_PATTERNS, ids=[name or route for name, route in APP_PATTERNS])
def test_malformed_parameters_never_answer_5xx(name, route, world, fuzz_clients):
    rule = MATRIX[name]  # every URL is there (test_permissions_matrix.py)
    url = fill(route, rule.kwargs(world))
    found = []
    for method, allowed in (("get", rule.get), ("post", rule.post)):
        found += _fuzz(url, method, _roles(allowed), fuzz_clients, _baseline(world))
    assert not found, "\n".join(found)


CONVERTED = [(name, route) for name, route in APP_PATTERNS if "<" in route]


@pytest.mark.parametrize(("name", "route"), CONVERTED, ids=[name for name, _ in CONVERTED])
def test_malformed_path_segments_never_answer_5xx(name, route, world, fuzz_clients):
    rule = MATRIX[name]  # every URL is there (test_permissions_matrix.py)
    client = fuzz_clients[_roles(rule.get | rule.post)[0]]
    kwargs = rule.kwargs(world)
    found = []
    for converted in re.findall(r"<(?:\w+:)?(\w+)>", route):
        for segment, method in itertools.product(BAD_SEGMENTS, ("get", "post")):
            url = fill(route, {**kwargs, converted: quote(segment, safe="")})
            if (status := getattr(client, method)(url).status_code) >= 500:
                found.append(f"{method.upper()} {url[:80]}: {status}")
    assert not found, "\n".join(found)
