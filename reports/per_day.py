"""One query for many days, compiled once.

A task's state on a day is a large SQL expression (``TaskQuerySet.with_state``); Django takes far
longer to build it than PostgreSQL takes to run it. The overview's twelve month ends built it twelve
times (about 90 % of the page's time on any data size). Here the query of a day is compiled for two
stand-in days; when the two differ only where the day goes in their parameters (the day, or dates
derived from it: :func:`config.compiled_queries.value_slots`), that one SQL text is run for every day
with the day put in, as one UNION ALL. Otherwise each day's query is compiled on its own: the same
rows, more slowly.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections

from config.compiled_queries import stand_ins, value_slots


def rows_per_day(query_of, days, key="day_index"):
    """The rows of ``query_of(day)`` (a ``values()`` queryset) for each of ``days``, as dicts, each
    with ``key``: the index of its day in ``days``."""
    if not days:
        return []
    first, second = stand_ins({"day": days[0]}), stand_ins({"day": days[0]}, second=True)
    built = query_of(first["day"])
    try:
        sql, params_a = built.query.sql_with_params()
    except EmptyResultSet:  # a queryset that selects nothing, e.g. ``none()``
        return []
    sql_b, params_b = query_of(second["day"]).query.sql_with_params()
    slots = value_slots(params_a, params_b, first, second) if sql == sql_b else None
    parts, params = [], []
    for index, day in enumerate(days):
        if not slots:  # None, or no parameter follows the day: it may have steered the building
            sql, day_params = query_of(day).query.sql_with_params()
        else:
            day_params = [slots[i][1]({"day": day}) if i in slots else value
                          for i, value in enumerate(params_a)]
        parts.append(f"SELECT %s AS {key}, part.* FROM ({sql}) part")
        params += [index, *day_params]
    # Raw SQL bypasses the database routers: run it where the queryset would have run (the replica
    # inside a replica-safe page, config.db_router).
    with connections[built.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
