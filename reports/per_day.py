"""One query for many days, compiled once.

A task's state on a day is a large SQL expression (``TaskQuerySet.with_state``); Django takes far
longer to build it than PostgreSQL takes to run it. The overview's twelve month ends built it twelve
times (about 90 % of the page's time on any data size). Here the query of a day is compiled for two
stand-in days; when the two differ only by those days in their parameters (the day is a literal of
the query, nothing derived from it), that one SQL text is run for every day with the day put in,
as one UNION ALL. Otherwise (a query that derives other dates from the day) each day's query is
compiled on its own: the same rows, more slowly.
"""

import datetime

from django.db import connections

_STAND_IN = (datetime.date(1000, 1, 3), datetime.date(1000, 1, 4))


def _day_slots(params_a, params_b):
    """Where the stand-in days are in the parameters, with how each is written (a date, or text on
    SQLite), or None when the parameters differ in anything else."""
    if len(params_a) != len(params_b):
        return None
    slots = {}
    first, second = _STAND_IN
    for index, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if a == b:
            if a in (first, first.isoformat(), second, second.isoformat()):
                return None  # a stand-in that did not follow the day: not the day's literal
            continue
        if (a, b) == (first, second):
            slots[index] = lambda day: day
        elif (a, b) == (first.isoformat(), second.isoformat()):
            slots[index] = datetime.date.isoformat
        else:
            return None
    return slots


def rows_per_day(query_of, days, key="day_index"):
    """The rows of ``query_of(day)`` (a ``values()`` queryset) for each of ``days``, as dicts, each
    with ``key``: the index of its day in ``days``."""
    first = query_of(_STAND_IN[0])
    sql, params_a = first.query.sql_with_params()
    sql_b, params_b = query_of(_STAND_IN[1]).query.sql_with_params()
    slots = _day_slots(params_a, params_b) if sql == sql_b else None
    parts, params = [], []
    for index, day in enumerate(days):
        if slots is None:
            sql, day_params = query_of(day).query.sql_with_params()
        else:
            day_params = [slots[i](day) if i in slots else value for i, value in enumerate(params_a)]
        parts.append(f"SELECT %s AS {key}, part.* FROM ({sql}) part")
        params += [index, *day_params]
    if not parts:
        return []
    # Raw SQL bypasses the database routers: run it where the queryset would have run (the replica
    # inside a replica-safe page, config.db_router).
    with connections[first.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
