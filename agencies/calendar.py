"""The iCalendar feed of an agency's deadlines, for Outlook, Thunderbird or a phone calendar."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tasks.models import Occurrence, Task, TaskStatus
from tasks.states import DONE_STATES, ProgressState


def agency_calendar(user):
    """Open deadlines of the user's agency (tasks it leads or coordinates, and their occurrences),
    overdue ones included: those are the ones the agency most needs to see."""
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user).for_agency(user.agency).select_related("plan")
    calendar = Calendar()
    calendar.add("prodid", "-//Theo doi ke hoach//vi")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Thời hạn nhiệm vụ – {user.agency}")
    open_tasks = (
        tasks.with_state(today)
        .exclude(deadline_kind="recurring")
        .exclude(state__in=[*DONE_STATES, ProgressState.CANCELLED])
        .filter(due_on__isnull=False)
    )
    for task in open_tasks:
        calendar.add_component(_event(f"task-{task.pk}", task, task.due_on))
    occurrences = (
        Occurrence.objects.filter(task__in=tasks)
        .exclude(status__in=[TaskStatus.COMPLETED, TaskStatus.CANCELLED])
        .select_related("task__plan")
    )
    for occurrence in occurrences:
        calendar.add_component(_event(f"occurrence-{occurrence.pk}", occurrence.task, occurrence.due))
    return calendar.to_ical()


def _event(uid, task, due):
    event = Event()
    event.add("uid", f"{uid}@{settings.SITE_URL.split('://')[-1]}")
    event.add("summary", f"[{task.plan}] {task.code}. {task.title[:120]}")
    event.add("dtstart", due)
    event.add("dtend", due + datetime.timedelta(days=1))
    event.add("dtstamp", timezone.now())
    event.add("description", f"Thời hạn: {task.deadline_text}\n{settings.SITE_URL}{task.get_absolute_url()}")
    event.add("url", f"{settings.SITE_URL}{task.get_absolute_url()}")
    return event
