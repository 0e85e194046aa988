"""The daily reminder scan: which reminders are owed today, recorded set-based in the database.

The scan derives everything from the state of the data (due dates, statuses, assignments,
users), so it needs no memory of earlier runs: whatever it finds owed and not yet in the
:class:`~tasks.models.ReminderLog` is inserted there as pending, and delivery sends pending rows.

It runs in two steps, a fixed number of statements whatever the number of tasks:

1. *Stage*: the work still open and falling due within the reminder lookahead, or already past
   it, goes into a temporary table with, for each audience, the reminder it is owed today (kind and
   window). One ``INSERT … SELECT`` per kind of work item (a task with a single due date, or an
   occurrence of a recurring task or of an ongoing task's periodic report) and per distinct
   reminder policy among the active plans. This is the only pass over the tasks.
2. *Record*: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per audience (lead agencies' focal
   points, coordinators' focal points, lead agencies' leaders, the province's admins) joins the
   staged items to the people they reach: of the agencies named, of a group's members, of the
   successor of a merged agency (``agencies.models.bound_agency_paths``). The log's unique
   constraints drop what is already owed.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Case, F, Q, Value, When

from agencies.models import Agency, Role, User, bound_agency_paths, in_office
from agencies.webhooks import Webhook
from plans.models import Plan, PlanStatus, reminder_policy
from tasks import webhook_events
from tasks.models import (
    AssignmentRole,
    DeadlineKind,
    Occurrence,
    ReminderLog,
    ReminderStatus,
    Task,
    TaskAssignment,
    TaskStatus,
)
from tasks.reminders import (
    ESCALATION,
    coordinator_reminder,
    escalation_cutoffs,
    lead_reminder,
    week_start,
)
from tasks.states import OPEN_STATES, ProgressState

# Work still owed: within its deadline or past it (accepted, cancelled and undated work is not).
OWED_STATES = (*OPEN_STATES, ProgressState.OVERDUE)
STAGE = "reminder_scan_item"
STAGE_COLUMNS = {
    "task_id": "bigint NOT NULL",
    "occurrence_id": "bigint NULL",
    "province_id": "bigint NOT NULL",
    "due": "date NOT NULL",
    "lead_kind": "varchar(16) NOT NULL",
    "lead_window": "date NOT NULL",
    "coordinator_kind": "varchar(16) NULL",
    "coordinator_window": "date NULL",
    # 0: not escalated, 1: to the lead agency's leaders, 2: to the province's admins as well
    "escalation": "smallint NOT NULL",
}
NO_ESCALATION, TO_LEADERS, TO_ADMINS = 0, 1, 2


def scan(day):
    """Record every reminder owed on ``day``; return how many new ones were recorded."""
    policies = (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .values_list("reminder_days", "escalate_after", "escalate_admin_after")
        .order_by()
        .distinct()
    )
    # No DROP on failure: rolling the transaction back removes the table with everything else.
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"{name} {sql_type}" for name, sql_type in STAGE_COLUMNS.items())
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns})")
        for fields in policies:
            for items in _work_items(day, reminder_policy(*fields), fields):
                _stage(cursor, items)
        # Temporary tables are never analysed automatically: without statistics PostgreSQL guesses
        # a handful of rows and joins them to two million assignments badly.
        cursor.execute(f"ANALYZE {STAGE}")
        recorded = sum(_record(cursor, day, audience) for audience in AUDIENCES)
        webhook_events.fell_overdue(_fallen_overdue(cursor, day))
        cursor.execute(f"DROP TABLE {STAGE}")
    return recorded


def _work_items(day, policy, fields):
    """Tasks with one due date, and occurrences (recurring tasks, ongoing tasks' reports), still
    open on ``day`` and due within the lookahead or past due, of active plans with this reminder
    policy, with the stage's columns. Accepted, cancelled and reported work is out."""

    def of_plans(prefix):
        return Q(
            **{
                f"{prefix}plan__status": PlanStatus.ACTIVE,
                f"{prefix}plan__reminder_days": fields[0],
                f"{prefix}plan__escalate_after": fields[1],
                f"{prefix}plan__escalate_admin_after": fields[2],
            }
        )

    owed = Q(state__in=OWED_STATES, due_on__lte=day + datetime.timedelta(days=policy.lookahead))
    # Work reported complete waits on its reviewer, whose weekly digest lists it: nobody is reminded.
    owed &= ~Q(status=TaskStatus.AWAITING_ACCEPTANCE)
    reminders = _reminders(day, policy)
    tasks = (
        Task.objects.with_state(day, occurrences=False)
        .filter(of_plans(""), owed)
        .exclude(deadline_kind__in=[DeadlineKind.RECURRING, DeadlineKind.ONGOING])
        .values(
            staged_task_id=F("pk"),
            staged_occurrence_id=Value(None, output_field=models.BigIntegerField()),
            staged_province_id=in_office("plan__province", day),
            **reminders,
        )
    )
    occurrences = (
        Occurrence.objects.with_state(day)
        .filter(of_plans("task__"), owed)
        .exclude(task__status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED])
        .values(
            staged_task_id=F("task_id"),
            staged_occurrence_id=F("pk"),
            staged_province_id=in_office("task__plan__province", day),
            **reminders,
        )
    )
    return [tasks, occurrences]


def _reminders(day, policy):
    """The reminder each audience is owed today, as expressions on ``due_on``."""
    upcoming = [day + datetime.timedelta(days=n) for n in range(policy.lookahead + 1)]
    lead = {due: lead_reminder(due, day, policy) for due in upcoming}
    coordinator = {due: r for due in upcoming if (r := coordinator_reminder(due, day, policy))}
    overdue = lead_reminder(day - datetime.timedelta(days=1), day, policy)
    to_leaders, to_admins = escalation_cutoffs(day, policy)

    def by_due(rules, field, default, output_field):
        whens = [When(due_on=due, then=Value(getattr(r, field))) for due, r in rules.items()]
        return Case(*whens, default=Value(default), output_field=output_field)

    text, date = models.CharField(), models.DateField()
    return {
        "staged_due": F("due_on"),
        "staged_lead_kind": by_due(lead, "kind", overdue.kind, text),
        "staged_lead_window": by_due(lead, "anchor", overdue.anchor, date),
        "staged_coordinator_kind": by_due(coordinator, "kind", None, text),
        "staged_coordinator_window": by_due(coordinator, "anchor", None, date),
        "staged_escalation": Case(
            When(due_on__lt=to_admins, then=TO_ADMINS),
            When(due_on__lt=to_leaders, then=TO_LEADERS),
            default=NO_ESCALATION,
            output_field=models.SmallIntegerField(),
        ),
    }


def _stage(cursor, items):
    columns = [name.removeprefix("staged_") for name in items.query.annotation_select]
    sql, params = items.query.sql_with_params()
    cursor.execute(f"INSERT INTO {STAGE} ({', '.join(columns)}) {sql}", params)


@dataclass(frozen=True)
class Audience:
    """Who a staged item reaches: people with ``user_role`` in the agencies its assignments of
    ``assignment_role`` bind, or, without one, in its province. They are owed the reminder of the
    stage's ``{reminder}_kind`` and ``{reminder}_window`` columns, or else this week's escalation
    once the item's escalation reaches ``escalation``."""

    user_role: str
    assignment_role: str | None
    reminder: str | None = None
    escalation: int = NO_ESCALATION

    def people(self, day):
        """FROM clause joining the stage to the people as ``u``, and its parameters."""
        if self.assignment_role is None:
            return f"{STAGE} s JOIN {_table(User)} u ON u.province_id = s.province_id", []
        bound, params = _bound_agencies(day)
        return (
            f"{STAGE} s JOIN {_table(TaskAssignment)} a ON a.task_id = s.task_id AND a.role = %s "
            # The assignment holds on the day (one handed over before it no longer binds its agency).
            "AND (a.active_from IS NULL OR a.active_from <= %s) "
            "AND (a.active_until IS NULL OR a.active_until >= %s) "
            f"JOIN ({bound}) b ON b.assigned_id = a.agency_id "
            f"JOIN {_table(User)} u ON u.agency_id = b.bound_id",
            [self.assignment_role, day, day, *params],
        )

    def owed(self, day):
        """SQL of the kind and the window owed, the condition on the staged item, and parameters."""
        if self.reminder:
            columns = f"s.{self.reminder}_kind, s.{self.reminder}_window"
            return columns, f"s.{self.reminder}_kind IS NOT NULL", []
        return "%s, %s", f"s.escalation >= {self.escalation:d}", [ESCALATION, week_start(day)]


def _bound_agencies(day):
    """SQL of the (assigned_id, bound_id) pairs of agencies an assignment binds on ``day``, and its
    parameters: the paths of ``Task.objects.for_agency``."""
    parts, params = [], []
    for path, bound in bound_agency_paths(day):
        # One filter() call: a path's conditions and its end must hold on the same joined rows.
        pairs = Agency.objects.filter(bound, **({f"{path}__isnull": False} if path else {}))
        pairs = pairs.order_by().values(assigned_id=F("pk"), bound_id=F(path or "pk"))
        sql, pair_params = pairs.query.sql_with_params()
        parts.append(sql)
        params.extend(pair_params)
    return " UNION ALL ".join(parts), params


AUDIENCES = (
    Audience(Role.FOCAL_POINT, AssignmentRole.LEAD, reminder="lead"),
    Audience(Role.FOCAL_POINT, AssignmentRole.COORDINATOR, reminder="coordinator"),
    Audience(Role.LEADER, AssignmentRole.LEAD, escalation=TO_LEADERS),
    Audience(Role.PROVINCE_ADMIN, None, escalation=TO_ADMINS),
)


def _record(cursor, day, audience):
    """INSERT the reminders the staged items owe ``audience`` into the log, skipping those already
    there. Returns the number of new reminders."""
    owed, condition, owed_params = audience.owed(day)
    people, people_params = audience.people(day)
    cursor.execute(
        f"INSERT INTO {_table(ReminderLog)} "
        "(recipient_id, task_id, occurrence_id, kind, day, due, scanned_on, status, attempts, last_error) "
        f"SELECT u.id, s.task_id, s.occurrence_id, {owed}, s.due, %s, %s, 0, '' "
        f"FROM {people} WHERE u.role = %s AND u.is_active AND {condition} "
        "ON CONFLICT DO NOTHING",
        [*owed_params, day, ReminderStatus.PENDING, *people_params, audience.user_role],
    )
    return max(cursor.rowcount, 0)


def _fallen_overdue(cursor, day):
    """The staged work fallen past due within ``OVERDUE_WITHIN_DAYS``, of provinces with an active
    webhook: what the ``task.overdue`` event tells (one SELECT, empty while no province has one)."""
    since = day - datetime.timedelta(days=webhook_events.OVERDUE_WITHIN_DAYS)
    cursor.execute(
        f"SELECT s.task_id, s.occurrence_id, s.province_id, s.due FROM {STAGE} s "
        "WHERE s.due < %s AND s.due >= %s AND EXISTS "
        f"(SELECT 1 FROM {_table(Webhook)} w WHERE w.province_id = s.province_id AND w.active)",
        [day, since],
    )
    # A raw SELECT on SQLite may give the dates as text.
    return [
        (task, occurrence, province, _date(due))
        for task, occurrence, province, due in cursor.fetchall()
    ]


def _date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)
