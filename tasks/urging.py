"""Urging (đôn đốc): a provincial admin picks overdue or due-soon work — of an agency as it answers
today, of a plan, or a selection — and sends an urging notice (:func:`send`): one
:class:`~tasks.models.UrgingNotice` with an item per task and agency urged (its due date and days
overdue that day kept), a history entry on each task (``record()``, kind "urging", changing
nothing), a notification and an e-mail to each focal point and leader of the agencies urged (never
to the admin), and the Công văn đôn đốc generated from it (:func:`letter_of`,
``reports.documents.urging_letter``).

Who is urged about a task is whoever answers for it today as its lead, by the one rule the portal
keeps (``agencies.models.bound_pairs``): the agency named, a lead group's members, the successor of
a lead merged away, the new agency after a hand-over. Where a task stands is ``with_state(on)``:
overdue, or within its deadline and falling due within so many days (``tasks.states.due_soon``).
Completed and cancelled work is never urged, nor work reported complete that awaits the admin's
decision, nor the work of a plan that is not active.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, bound_pairs, people_committee
from plans.models import PlanStatus
from reports.documents.urging_letter import LetterPlan, LetterRow, UrgingLetter
from tasks import notifications, workflow
from tasks.models import AssignmentRole, TaskAssignment, TaskStatus, TaskUpdate, UrgingItem, UrgingNotice
from tasks.states import DUE_SOON_DAYS, ProgressState, due_soon

NEVER_URGED = (TaskStatus.COMPLETED, TaskStatus.CANCELLED, TaskStatus.AWAITING_ACCEPTANCE)


class UrgeState(models.TextChoices):
    EITHER = "either", gettext_lazy("Overdue or due soon")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    DUE_SOON = "due_soon", gettext_lazy("Due soon")


def urgeable(tasks, on, state=UrgeState.EITHER, days=DUE_SOON_DAYS):
    """``tasks`` that may be urged on ``on``, with the ``with_state(on)`` annotations: open work of
    active plans that is overdue (``state`` "overdue"), within its deadline and due within ``days``
    days ("due_soon"), or either."""
    judged = tasks.filter(plan__status=PlanStatus.ACTIVE).exclude(status__in=NEVER_URGED).with_state(on)
    overdue, soon = Q(state=ProgressState.OVERDUE), due_soon(on, days)
    return judged.filter({UrgeState.OVERDUE: overdue, UrgeState.DUE_SOON: soon}.get(state, overdue | soon))


@dataclass(frozen=True)
class Line:
    """One task to urge one agency about: ``task`` carries its ``with_state`` annotations."""

    task: object
    agency_id: int
    agency: str

    @property
    def key(self):
        """What its tick box sends: "task-agency"."""
        return f"{self.task.pk}-{self.agency_id}"

    @property
    def days_left(self):
        """Days until the due date, on the day the task was judged (0: due that day)."""
        return (self.task.due_on - self.task.judged_on).days


@dataclass
class Group:
    """An agency and the lines it is urged about, most overdue first."""

    agency_id: int
    agency: str
    lines: list = field(default_factory=list)


@dataclass
class Candidates:
    """What may be urged: ``groups`` by agency (by name), and ``unanswered``, tasks nobody answers
    for today as lead (a lead dissolved without successor, a lead printed with no agency behind it):
    nobody to urge before they are handed over."""

    groups: list
    unanswered: list

    @property
    def lines(self):
        return [line for group in self.groups for line in group.lines]

    @property
    def task_count(self):
        return len({line.task.pk for line in self.lines})


def answering_leads(task_ids, on):
    """``{task id: [(agency id, name), …]}``: the agencies answering for each task's lead
    assignments holding on ``on`` (``bound_pairs``), by name. A group answered by its members is
    urged through them, not as a group of its own. Three queries."""
    leads = list(
        TaskAssignment.objects.in_force(on)
        .filter(task_id__in=task_ids, role=AssignmentRole.LEAD, agency__isnull=False)
        .values_list("task_id", "agency_id")
    )
    bound = {}
    for assigned, answering in bound_pairs({agency for _task, agency in leads}, on):
        bound.setdefault(assigned, set()).add(answering)
    reached = set().union(*bound.values())
    names, groups = {}, set()
    for pk, name, kind in Agency.objects.filter(pk__in=reached).values_list("pk", "name", "kind"):
        names[pk] = name
        if kind in Agency.GROUP_KINDS:
            groups.add(pk)
    answering = {}
    for task_id, assigned in leads:
        found = bound.get(assigned, set())
        answering.setdefault(task_id, set()).update(found - groups or found)
    return {
        task_id: sorted(((pk, names[pk]) for pk in found), key=lambda pair: (pair[1], pair[0]))
        for task_id, found in answering.items() if found
    }


def candidates(tasks, on, agency=None):
    """The :class:`Candidates` among ``tasks`` (from :func:`urgeable`), each under the agencies
    answering for it on ``on``, or only under ``agency`` when given. Four queries whatever the number
    of tasks."""
    tasks = list(
        tasks.select_related(
            "plan__province__successor__successor", "plan__report_recipient__successor__successor"
        )
        .order_by("due_on", "plan__number", "position", "pk")
    )
    answering = answering_leads([task.pk for task in tasks], on)
    groups, unanswered = {}, []
    for task in tasks:
        found = [pair for pair in answering.get(task.pk, ()) if agency is None or pair[0] == agency.pk]
        if not found:
            unanswered.append(task)
        for agency_id, name in found:
            groups.setdefault(agency_id, Group(agency_id, name)).lines.append(Line(task, agency_id, name))
    return Candidates(sorted(groups.values(), key=lambda g: (g.agency, g.agency_id)), unanswered)


def issuing_department(plans, author, on):
    """The department that follows the plans up on ``on`` — their report recipient, in office that
    day (Sở Khoa học và Công nghệ for a plan naming Sở Thông tin và Truyền thông) — the one most of
    them name; for plans naming none, the admin's own agency."""
    named = Counter(recipient.name for plan in plans if (recipient := plan.report_recipient_on(on)))
    if named:
        return named.most_common(1)[0][0]
    if author.agency_id:
        return author.agency.name
    return "Cơ quan theo dõi, tổng hợp"


def last_signer(notices):
    """``(title, name)`` of the latest of ``notices`` (a queryset), to start the next one from."""
    latest = notices.order_by("-created_at", "-pk").values_list("signer_title", "signer_name").first()
    return latest or ("", "")


@transaction.atomic
def send(lines, *, author, province, on, subject, message="", report_by=None, signer_title="",
         signer_name=""):
    """Send an urging notice about ``lines`` (:class:`Line` items from :func:`candidates`, most
    overdue first within each agency) as ``author`` on ``on``; returns the notice.

    One query a task for its history entry (``workflow.record``, which needs no version: the entry
    changes nothing); the items, notifications and e-mail jobs in bulk, the e-mails once committed.
    """
    tasks = list({line.task.pk: line.task for line in lines}.values())
    notice = UrgingNotice.objects.create(
        province=province, created_by=author, subject=subject, message=message, report_by=report_by,
        signer_title=signer_title, signer_name=signer_name,
        issuer=issuing_department([task.plan for task in tasks], author, on),
    )
    with translation.override("vi"):  # the period is printed in the letter, a Vietnamese document
        UrgingItem.objects.bulk_create(
            UrgingItem(
                notice=notice, task=line.task, agency_id=line.agency_id, due_on=line.task.due_on,
                days_overdue=line.task.days_overdue, period=line.task.judged_period_label, position=index,
            )
            for index, line in enumerate(lines)
        )
    note = _("Urged by the notice of %(date)s") % {"date": date_format(on, "SHORT_DATE_FORMAT")}
    for task in tasks:
        workflow.record(task, author=author, kind=TaskUpdate.Kind.URGING, note=note, urging=notice)
    first_tasks = {}
    for line in lines:
        first_tasks.setdefault(line.agency_id, line.task.pk)
    notifications.notify_urged(notice, first_tasks)
    return notice


def notice_groups(notice):
    """The notice's items by agency, as sent: ``[(agency, [items])]``. One query."""
    groups = {}
    for item in notice.items.select_related("task__plan", "agency").order_by("position"):
        groups.setdefault(item.agency_id, (item.agency, []))[1].append(item)
    return list(groups.values())


def letter_of(notice):
    """The :class:`~reports.documents.urging_letter.UrgingLetter` of ``notice``: its tasks by plan,
    one row a task with the agencies urged about it, the days overdue as they were when it was
    sent. Two queries."""
    rows, plans = {}, {}
    for agency, items in notice_groups(notice):
        for item in items:
            row = rows.get(item.task_id)
            if row is None:
                rows[item.task_id] = row = {"item": item, "agencies": []}
                plans.setdefault(item.task.plan_id, (item.task.plan, []))[1].append(row)
            row["agencies"].append(agency.name)
    authority, committee = people_committee(notice.province)
    addressees = dict.fromkeys(name for row in rows.values() for name in row["agencies"])
    return UrgingLetter(
        place=notice.province.name, authority=authority, committee=committee, issuer=notice.issuer,
        subject=notice.subject, sent_on=notice.sent_on, addressees=tuple(addressees),
        plans=tuple(
            LetterPlan(
                number=plan.number, issued_on=plan.issued_on, issuer=plan.issuer, title=plan.title,
                rows=tuple(
                    LetterRow(
                        code=row["item"].task.code, title=row["item"].task.title,
                        agencies="; ".join(row["agencies"]), due_on=row["item"].due_on,
                        days_overdue=row["item"].days_overdue, period=row["item"].period,
                    )
                    for row in plan_rows
                ),
            )
            for plan, plan_rows in plans.values()
        ),
        message=notice.message, report_by=notice.report_by, signer_title=notice.signer_title,
        signer_name=notice.signer_name, number=notice.number,
    )
