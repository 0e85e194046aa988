"""The period figures of recurring and ongoing tasks, kept for the days and report periods pages ask.

``TaskQuerySet.with_state`` judges a recurring task by its periods: several correlated subqueries
per task, most of the time of every page over a whole province (issue 16). What they give depends on
the task's periods, its plan's ``awaiting_counts_as_done`` and the day (and report period) alone,
so it is kept in ``DayJudgement`` (today) and in ``QuarterJudgement``, ``LastQuarterJudgement`` and
``YearJudgement`` (the report periods of :func:`tasks.models.kept_windows`, as the overview and the
leader's home take them), and read back where a row holds for the day and period asked.

A row is written by the same expression the pages would run (:func:`tasks.models.period_figures`),
in the database: every night for the new day (:func:`keep_current`, ``tasks.jobs.keep_judgements``),
and again whenever
a task's periods or its plan's rule change (:func:`judge_again`, from the signals below and from
``sync_occurrences``), in the same transaction as the change.
"""

from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone

from plans.models import Plan
from tasks.models import (
    PERIODIC_KINDS,
    DayJudgement,
    LastQuarterJudgement,
    Occurrence,
    QuarterJudgement,
    Task,
    YearJudgement,
    kept_windows,
    period_figures,
)

KEPT = {"day": DayJudgement, "quarter": QuarterJudgement, "last_quarter": LastQuarterJudgement,
        "year": YearJudgement}
FIGURES = ("state", "due_on", "done_on", "awaiting", "overdue_periods")


def keep(tasks, slot, on, within=None, replace=True):
    """Keep in ``slot`` (of :data:`KEPT`) the period figures of the recurring and ongoing ``tasks``
    on ``on`` (for the report period ``within``, the slot's), in one INSERT … SELECT.
    ``replace=False`` leaves the rows already kept for this day and period as they are: the nightly
    job then never writes over figures a change has just kept (its SELECT may have read the periods
    before that change)."""
    model = KEPT[slot]
    figures = period_figures(on, within)
    rows = (
        tasks.filter(deadline_kind__in=PERIODIC_KINDS).order_by()
        .annotate(kept_task=F("pk"), **{f"kept_{name}": figures[name] for name in FIGURES})
        .values("kept_task", *(f"kept_{name}" for name in FIGURES))
    )
    select, params = rows.query.sql_with_params()
    key = {"judged_on": on} if within is None else {"judged_on": on, "window_start": within[0],
                                                     "window_end": within[1]}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ["task_id", *key, *FIGURES]
    picked = ", ".join(["figures.kept_task", *(["%s"] * len(key)),
                        *(f"figures.kept_{name}" for name in FIGURES)])
    updated = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in columns[1:])
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
        f"SELECT {picked} FROM ({select}) AS figures WHERE true "  # "WHERE": SQLite's upsert grammar
        f"ON CONFLICT ({quote('task_id')}) DO UPDATE SET {updated}"
    )
    if not replace:
        same = " AND ".join(f"{table}.{quote(column)} = excluded.{quote(column)}" for column in key)
        sql += f" WHERE NOT ({same})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key.values(), *params])


def keep_all(tasks, today, replace=True):
    """Keep the figures of ``tasks`` in every slot: for ``today``, and for each report period of
    :func:`~tasks.models.kept_windows` as of its day (rows kept for earlier days give way)."""
    keep(tasks, "day", today, replace=replace)
    for slot, (on, within) in kept_windows(today).items():
        keep(tasks, slot, on, within, replace=replace)


def judge_again(tasks):
    """Keep again the figures of ``tasks`` after a change to their periods or their plan."""
    keep_all(tasks, timezone.localdate())


def keep_current(today):
    """Keep every task's figures for ``today``, plan by plan; what a change kept for the same day
    and period meanwhile is left as it is."""
    for plan_id in Plan.objects.order_by("pk").values_list("pk", flat=True):
        keep_all(Task.objects.filter(plan_id=plan_id), today, replace=False)


def _occurrence_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        judge_again(Task.objects.filter(pk=instance.task_id))


def _plan_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    changed = update_fields is None or "awaiting_counts_as_done" in update_fields
    if changed and not created and not raw:
        judge_again(Task.objects.filter(plan=instance))


def connect():
    """Called once, when the tasks app is ready."""
    post_save.connect(_occurrence_saved, sender=Occurrence, dispatch_uid="tasks.judgements.occurrence")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="tasks.judgements.plan")
