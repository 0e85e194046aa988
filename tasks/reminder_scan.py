"""The daily reminder scan: which reminders are owed today, recorded set-based in the database.

The scan derives everything from the state of the data (due dates, statuses, assignments,
users), so it needs no memory of earlier runs: whatever it finds owed and not yet in the
:class:`~tasks.models.ReminderLog` is inserted there as pending, and delivery sends pending rows.

It is a handful of ``INSERT … SELECT … ON CONFLICT DO NOTHING`` statements per distinct reminder
policy among the active plans, whatever the number of tasks: for each kind of work item (a task
with a single due date, or an occurrence of a recurring task or of an ongoing task's periodic
report) and each audience (lead agencies' focal points, coordinators' focal points, lead
agencies' leaders, the province's admins), reached directly or through a group the agency belongs
to. The log's unique constraints drop what is already owed.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Case, F, Q, Value, When

from agencies.models import Role
from plans.models import Plan, PlanStatus, reminder_policy
from tasks.models import (
    AssignmentRole,
    DeadlineKind,
    Occurrence,
    ReminderLog,
    ReminderStatus,
    Task,
    TaskStatus,
)
from tasks.reminders import ESCALATION, Reminder, coordinator_reminder, lead_reminder, week_start
from tasks.states import OPEN_STATES, ProgressState

# Work still owed: within its deadline or past it (accepted, cancelled and undated work is not).
OWED_STATES = (*OPEN_STATES, ProgressState.OVERDUE)
LOG_COLUMNS = (
    "recipient_id",
    "task_id",
    "occurrence_id",
    "kind",
    "day",
    "due",
    "scanned_on",
    "status",
    "attempts",
    "last_error",
)
# From an assignment to the users of its agency, or of the agencies of the group it names.
AGENCY_USERS = ("agency__users", "agency__members__users")


@dataclass(frozen=True)
class Items:
    """Open work items with a ``due_on`` annotation, and the path from them to their task."""

    queryset: models.QuerySet
    task_path: str  # "" for tasks, "task__" for occurrences

    def rows(self, when, rules, past=None):
        """Items due on a date of ``rules`` ({due: Reminder or None}), or, if ``past`` is a pair
        (date, Reminder), before that date; annotated with the reminder's ``kind`` and ``window``."""
        rules = {due: reminder for due, reminder in rules.items() if reminder}
        condition = Q(due_on__in=list(rules))
        default = Reminder("", when)
        if past:
            condition |= Q(due_on__lt=past[0])
            default = past[1]
        return self.queryset.filter(condition).annotate(
            r_kind=Case(
                *[When(due_on=due, then=Value(r.kind)) for due, r in rules.items()],
                default=Value(default.kind),
            ),
            r_window=Case(
                *[When(due_on=due, then=Value(r.anchor)) for due, r in rules.items()],
                default=Value(default.anchor),
                output_field=models.DateField(),
            ),
        )


def scan(day):
    """Record every reminder owed on ``day``; return how many new ones were recorded."""
    policies = (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .values_list("reminder_days", "escalate_after", "escalate_admin_after")
        .order_by()
        .distinct()
    )
    return sum(_scan_policy(day, fields) for fields in policies)


def _scan_policy(day, fields):
    policy = reminder_policy(*fields)
    upcoming = [day + datetime.timedelta(days=n) for n in range(policy.lookahead + 1)]
    lead_rules = {due: lead_reminder(due, day, policy) for due in upcoming}
    coordinator_rules = {due: coordinator_reminder(due, day, policy) for due in upcoming}
    overdue = (day, lead_reminder(day - datetime.timedelta(days=1), day, policy))
    escalated = Reminder(ESCALATION, week_start(day))
    to_leaders = (day - datetime.timedelta(days=policy.escalate_after), escalated)
    to_admins = (day - datetime.timedelta(days=policy.escalate_admin_after), escalated)
    inserted = 0
    for items in _work_items(day, fields):
        for path in AGENCY_USERS:
            inserted += _insert(
                items, items.rows(day, lead_rules, overdue), day, AssignmentRole.LEAD, path, Role.FOCAL_POINT
            )
            inserted += _insert(
                items,
                items.rows(day, coordinator_rules),
                day,
                AssignmentRole.COORDINATOR,
                path,
                Role.FOCAL_POINT,
            )
            inserted += _insert(
                items, items.rows(day, {}, to_leaders), day, AssignmentRole.LEAD, path, Role.LEADER
            )
        inserted += _insert(
            items, items.rows(day, {}, to_admins), day, None, "plan__province__users", Role.PROVINCE_ADMIN
        )
    return inserted


def _work_items(day, fields):
    """Tasks with one due date, and occurrences (recurring tasks, ongoing tasks' reports), still
    open on ``day``, of active plans with this reminder policy. Accepted and cancelled work is out."""

    def of_plans(prefix):
        return Q(
            **{
                f"{prefix}plan__status": PlanStatus.ACTIVE,
                f"{prefix}plan__reminder_days": fields[0],
                f"{prefix}plan__escalate_after": fields[1],
                f"{prefix}plan__escalate_admin_after": fields[2],
            }
        )

    tasks = (
        Task.objects.with_state(day, occurrences=False)
        .filter(of_plans(""), state__in=OWED_STATES)
        .exclude(deadline_kind__in=[DeadlineKind.RECURRING, DeadlineKind.ONGOING])
    )
    occurrences = (
        Occurrence.objects.with_state(day)
        .filter(of_plans("task__"), state__in=OWED_STATES)
        .exclude(task__status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED])
    )
    return [Items(tasks, ""), Items(occurrences, "task__")]


def _insert(items, rows, day, assignment_role, path, user_role):
    """INSERT the reminders of ``rows`` for the users at ``path`` (from an assignment of
    ``assignment_role``, or from the item's task when it is None) into the log, skipping those
    already there. Returns the number of new reminders."""
    prefix = items.task_path
    users = f"{prefix}assignments__{path}" if assignment_role else f"{prefix}{path}"
    # One filter() call: the role and the users must belong to the same assignment.
    conditions = {f"{users}__role": user_role, f"{users}__is_active": True}
    if assignment_role:
        conditions[f"{prefix}assignments__role"] = assignment_role
    rows = rows.filter(**conditions)
    is_occurrence = bool(prefix)
    select = rows.order_by().values(
        r_recipient=F(users),
        r_task=F("task_id") if is_occurrence else F("pk"),
        r_occurrence=F("pk") if is_occurrence else Value(None, output_field=models.BigIntegerField()),
        r_kind2=F("r_kind"),
        r_window2=F("r_window"),
        r_due=F("due_on"),
        r_scanned=Value(day, output_field=models.DateField()),
        r_status=Value(ReminderStatus.PENDING),
        r_attempts=Value(0),
        r_error=Value(""),
    )
    sql, params = select.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReminderLog._meta.db_table} ({', '.join(LOG_COLUMNS)}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return max(cursor.rowcount, 0)
