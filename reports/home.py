"""What the home page shows each role first, on one day (the same URL for everyone).

- A focal point: its agency's work due within 14 days, overdue, returned for more work, awaiting
  its contribution as a coordinating agency, and its unread notifications; each a count of the
  list it links to ("Việc của tôi" filtered, see :func:`tasks.mine.work_counts`).
- A provincial admin: work reported complete awaiting acceptance, extension requests, work no
  agency in force answers for, deadlines nobody could read, appendix imports in progress or
  failed, and the agencies answering for open work that sent nothing for 30 days.
- A leader: the province at a glance (the Government Office's four figures and the completion rate,
  this quarter and the last, as the province overview counts them) and the late-agency panel
  (:func:`reports.dashboards.late_agencies`).

Every figure is counted in the database; the number of queries does not depend on the data.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Max, Q, Subquery

from agencies.models import Agency, bound_pairs
from config.expressions import AnyOf
from plans.models import AppendixImport, ImportStatus, Plan, PlanStatus
from reports import dashboards
from reports.periods import parse_period
from reports.summary import as_of, plans_in_scope, tasks_in_period, totals
from tasks.mine import work_counts
from tasks.models import ExtensionRequest, Occurrence, Task, TaskAssignment, TaskStatus, TaskUpdate
from tasks.states import DONE_STATES, ProgressState

FOCAL_POINT_FIGURES = ("due_14", "overdue", "returned", "awaiting_contribution")
SILENCE_DAYS = 30  # an agency that sent nothing for this long is shown to its admin
IMPORT_DAYS = 30  # imports started since then, still in progress or failed, are shown
IMPORTS_SHOWN = 10
IMPORT_PENDING = (ImportStatus.UPLOADED, ImportStatus.READING, ImportStatus.PREVIEWED,
                  ImportStatus.COMMITTING)
SENT = (TaskUpdate.Kind.REPORT, TaskUpdate.Kind.CONTRIBUTION)  # what an agency sends on a task


def admin_figures(user, on):
    """Everything the provincial admin's home counts (nine queries; the plans past their horizon
    are a queryset the page reads)."""
    tasks = Task.objects.visible_to(user)
    return {
        "awaiting_acceptance_count": awaiting_acceptance_count(user),
        "extension_count": ExtensionRequest.objects.visible_to(user).pending().count(),
        "orphaned_count": tasks.orphaned(on).count(),
        "unknown_deadline_count": tasks.unknown_deadline().count(),
        "imports": recent_imports(user, on),
        "silent_agencies": silent_agencies(user, on),
        "past_horizon": Plan.objects.visible_to(user).past_horizon(on),
    }


def focal_point_figures(user, on):
    """The counts of :data:`FOCAL_POINT_FIGURES`, each the number of items of "Việc của tôi"
    filtered by that status (two queries)."""
    return work_counts(user, on, FOCAL_POINT_FIGURES)


def awaiting_acceptance_count(user):
    """Work (tasks and periods) reported complete that the review queue lists (two queries)."""
    awaiting = Q(status=TaskStatus.AWAITING_ACCEPTANCE)
    return Task.objects.visible_to(user).filter(awaiting).count() + (
        Occurrence.objects.visible_to(user).filter(awaiting).count()
    )


def recent_imports(user, on, days=IMPORT_DAYS):
    """Appendix imports started in the last ``days`` days that are still in progress (waiting for
    confirmation included) or failed, newest first (one query, at most :data:`IMPORTS_SHOWN`)."""
    since = on - datetime.timedelta(days=days)
    imports = AppendixImport.objects.visible_to(user).filter(
        created_at__date__gt=since, status__in=(*IMPORT_PENDING, ImportStatus.FAILED)
    )
    return list(imports.select_related("plan").order_by("-created_at", "-pk")[:IMPORTS_SHOWN])


def silent_agencies(user, on, days=SILENCE_DAYS):
    """Agencies answering on ``on`` for open work (neither done nor cancelled that day) of the
    user's active plans, whose people wrote no report or contribution on any task in the last
    ``days`` days, with "last_sent" (when they last did, or None), longest silent first.

    Who answers follows ``agencies.models.bound_agency_paths`` (a group's members, a merged
    agency's successor; groups themselves send nothing). Four queries."""
    open_work = (
        Task.objects.visible_to(user).filter(plan__status=PlanStatus.ACTIVE).with_state(on)
        .exclude(state__in=(*DONE_STATES, ProgressState.CANCELLED))
    )
    # The open tasks' ids first (the province's tasks judged once), then their assignments by the
    # task index: joined, PostgreSQL hashed every assignment of the country; one row per agency
    # (about 60 a province), not one per assignment (issue 16).
    assigned = (
        TaskAssignment.objects.in_force(on)
        .filter(AnyOf(F("task_id"), Subquery(open_work.order_by().values("pk"))), agency__isnull=False)
        .values_list("agency", flat=True).order_by().distinct()
    )
    answering = {agency for _assigned, agency in bound_pairs(assigned, on)}
    sent = Q(task_updates__kind__in=SENT)
    since = on - datetime.timedelta(days=days)
    agencies = (
        Agency.objects.filter(pk__in=answering).exclude(kind__in=Agency.GROUP_KINDS).select_related("province")
        .annotate(last_sent=Max("task_updates__created_at", filter=sent),
                  recent=Count("task_updates", filter=sent & Q(task_updates__created_at__date__gt=since)))
        .filter(recent=0)
    )
    return list(agencies.order_by(F("last_sent").asc(nulls_first=True), "name"))


@dataclass(frozen=True)
class Glance:
    """The province's figures for one period, as of ``as_of``."""

    period: object
    as_of: datetime.date
    totals: dict

    @property
    def within_deadline(self):
        """Work not completed whose deadline has not passed: in progress or not started."""
        return self.totals["in_progress"] + self.totals["not_started"]


def current_quarter(on):
    return parse_period(f"{on.year}-Q{(on.month - 1) // 3 + 1}")


def glance(province, period, today):
    """The province overview's totals for ``period`` (one query)."""
    on = as_of(period.window(), today)
    tasks = dashboards.tasks_of(plans_in_scope(province, on=on))
    return Glance(period, on, totals(tasks_in_period(tasks, period, on), on))


def leader_tasks(province, on):
    """The tasks the leader's home judges on ``on``: those of the province's plans in scope."""
    return dashboards.tasks_of(plans_in_scope(province, on=on)).filter(plan__reference_date__lte=on)


def leader_figures(province, on):
    """This quarter's and the last quarter's figures, and the late-agency panel judged on ``on``
    (three queries); each row's overdue tasks are loaded when it is opened
    (:func:`reports.dashboards.late_tasks`, at the address in the row's "tasks_query")."""
    quarter = current_quarter(on)
    late = dashboards.late_agencies(leader_tasks(province, on), on)
    for row in late:
        row["tasks_query"] = urlencode({"agency": row["agency"], "agency_id": row["agency_id"] or ""})
    periods = [glance(province, quarter, on), glance(province, quarter.previous(), on)]
    return {"periods": periods, "late": late, "late_tasks_shown": dashboards.LATE_TASKS_SHOWN}
