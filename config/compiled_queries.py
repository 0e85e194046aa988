"""Queries compiled once per process and run with new values.

A task's state on a day is a large SQL expression (``TaskQuerySet.with_state``); Django takes far
longer to build and compile it than PostgreSQL takes to run it (65 KB of SQL, ~90 % of "Việc của
tôi" whatever the number of tasks). A query whose values — the day, the user's agency and
province — only appear as parameters of its SQL need not be built again for every request: it is
built twice with stand-in values; when the two SQL texts are the same and the parameters differ only
where the stand-ins are (or by a fixed number of days from a stand-in day: "due within 7 days"),
that SQL is kept with where each value goes, and run with the real values put in. Otherwise (the
SQL depends on the values, or building it read the database) the query is built each time: the
same rows, more slowly.

Only the values given change between runs: the ``shape`` must name everything else the query
depends on (a role, a filter's choice, whether the user is a superuser), and the values must only
be put into the query, never decide how it is built (a value that appears nowhere in the SQL's
parameters is taken as such a decision: the query is then built each time).
"""

import contextlib
import copy
import datetime
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections, router

_STAND_IN_YEAR = 1000  # days of other values 100 years apart, each value's two days one apart
_STAND_IN_NUMBER = -1_000_000_007  # far from any primary key; each value gets its own pair
_MOST_DAYS_DERIVED = 3650  # "due within 14 days", "a year before": dates derived from a stand-in day
_CACHE_SIZE = 256


class QueryRead(Exception):
    """Building the query read the database: its SQL may depend on the data."""


def stand_ins(values, second=False):
    """Stand-in values of the same kinds as ``values``: each distinct, never a real key or day."""
    substituted = {}
    for index, (name, value) in enumerate(sorted(values.items())):
        if _as_date(value) is not None:
            substituted[name] = datetime.date(_STAND_IN_YEAR + 100 * index, 1, 3 + second)
        elif isinstance(value, int) and not isinstance(value, bool):
            substituted[name] = _STAND_IN_NUMBER - 2 * index - second
        else:
            raise TypeError(f"{name}: only dates and integers can stand in, not {type(value).__name__}")
    return substituted


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10:  # SQLite's parameters carry dates as text
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(value)
    return None


def value_slots(params_a, params_b, first, second):
    """For each parameter that differs between the builds with stand-ins ``first`` and ``second``
    (dicts of the same names), the value it comes from and how to make it from the real values:
    ``{index: (name, function(values))}``; None
    when the parameters differ in anything but the stand-ins or a stand-in did not follow its value.
    """
    if len(params_a) != len(params_b):
        return None
    slots = {}
    for index, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if a == b:
            if _near_stand_in(a, first):
                return None  # a stand-in (or a day derived from one) that stayed: not the value's literal
            continue
        slot = _slot(a, b, first, second)
        if slot is None:
            return None
        slots[index] = slot
    return slots


def _near_stand_in(param, stand_ins_used):
    day = _as_date(param)
    for stand_in in stand_ins_used.values():
        if day is not None and isinstance(stand_in, datetime.date):
            if abs((day - stand_in).days) <= _MOST_DAYS_DERIVED:
                return True
        elif type(param) is int and param == stand_in:
            return True
    return False


def _slot(a, b, first, second):
    for name in first:
        if type(a) is type(first[name]) and (a, b) == (first[name], second[name]):
            return name, lambda values, name=name: values[name]
    day_a, day_b = _as_date(a), _as_date(b)
    if day_a is None or day_b is None:
        return None
    as_text = isinstance(a, str)
    for name, stand_in in first.items():
        if not isinstance(stand_in, datetime.date):
            continue
        shift = day_a - stand_in
        if abs(shift.days) <= _MOST_DAYS_DERIVED and day_b - second[name] == shift:
            return name, lambda values, name=name, shift=shift, as_text=as_text: (
                (values[name] + shift).isoformat() if as_text else values[name] + shift
            )
    return None


class _Compiled:
    def __init__(self, queryset, compiler, sql, params, slots):
        self.sql, self.params, self.slots = sql, params, slots
        self.compiler, self.model = compiler, queryset.model
        query = queryset.query
        # as QuerySet.values() names its columns (django.db.models.query.ValuesIterable)
        self.names = list(query.selected or [*query.extra_select, *query.values_select,
                                             *query.annotation_select])

    def rows(self, values):
        alias = router.db_for_read(self.model)
        params = [self.slots[i][1](values) if i in self.slots else param
                  for i, param in enumerate(self.params)]
        compiler = copy.copy(self.compiler)
        compiler.connection, compiler.using = connections[alias], alias
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        return [dict(zip(self.names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]


_compiled = OrderedDict()
_lock = threading.Lock()


def compiled_rows(name, build, shape=(), **values):
    """The rows (dicts) of ``build(**values)``, a ``values()`` queryset, compiled once per process
    for ``(name, shape)`` and the database in use when its SQL depends on ``values`` only through
    parameters (see the module's docstring)."""
    key = (name, tuple(shape), connections["default"].vendor)
    with _lock:
        compiled = _compiled.get(key)
        if compiled is not None:
            _compiled.move_to_end(key)
    if compiled is None:
        compiled = _compile(build, values)
        with _lock:
            _compiled[key] = compiled
            while len(_compiled) > _CACHE_SIZE:
                _compiled.popitem(last=False)
    if compiled is False:
        return list(build(**values))
    return compiled.rows(values)


def _compile(build, values):
    first, second = stand_ins(values), stand_ins(values, second=True)
    try:
        with no_reads():
            query_a, query_b = build(**first), build(**second)
            compiler = query_a.query.get_compiler(query_a.db)
            sql_a, params_a = compiler.as_sql()
            sql_b, params_b = query_b.query.sql_with_params()
    except (QueryRead, EmptyResultSet):  # EmptyResultSet: nothing to run (``.none()``)
        return False
    slots = value_slots(params_a, params_b, first, second) if sql_a == sql_b else None
    if slots is None or {name for name, _make in slots.values()} != set(values):
        return False  # a value that is no parameter may have steered how the query was built
    return _Compiled(query_a, compiler, sql_a, params_a, slots)


@contextlib.contextmanager
def no_reads():
    def refuse(execute, sql, params, many, context):
        raise QueryRead

    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(refuse))
        yield
