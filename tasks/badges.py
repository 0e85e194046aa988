"""The HTML of where a task stands and of who answers for it, written once for every page: the
task list's cells (``tasks.tables.TaskTable``), the plan page, the task page and "Việc của tôi"
(``{% state_badge record %}``, ``{% agency_links record.leads %}``, ``tasks.templatetags``).

Written in Python rather than as included templates: a list of 50 tasks rendered three templates
per row, most of the task list's time on the demo (issue 16)."""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tasks.models import TaskStatus

_BADGE_CLASSES = {
    "done_on_time": "text-bg-success",
    "done_late": "text-bg-warning",
    "overdue": "text-bg-danger",
    "in_progress": "text-bg-primary",
    "not_started": "text-bg-secondary",
    "ongoing": "text-bg-info",
}


def state_badge(record):
    """A record judged ``with_state(on)`` (a task or one of its periods): its state, whether its
    work awaits acceptance or was returned, the period it is judged by, its overdue periods and how
    long it is overdue."""
    state = record.state
    badge = _BADGE_CLASSES.get(state, "text-bg-light border")
    parts = [format_html('<span class="badge {}">{}</span>', badge, record.state_label)]
    if getattr(record, "awaiting", False):
        parts.append(_pill(TaskStatus.AWAITING_ACCEPTANCE.label))
    elif getattr(record, "status", None) == TaskStatus.RETURNED:
        parts.append(_pill(TaskStatus.RETURNED.label))
    period = getattr(record, "judged_period_label", "")
    if period:
        parts.append(format_html(' <span class="small text-body-secondary period-label">{}</span>', period))
    overdue_periods = getattr(record, "overdue_periods", 0)
    if overdue_periods:
        words = ngettext("%(n)s period overdue", "%(n)s periods overdue", overdue_periods)
        words %= {"n": overdue_periods}
        parts.append(format_html(' <span class="small text-danger overdue-periods">{}</span>', words))
    band = getattr(record, "overdue_band", None)
    if band and state == "overdue":
        words = _("over %(days)s days") % {"days": band[5:]}
        parts.append(format_html(' <span class="small text-danger">{}</span>', words))
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped by format_html


def _pill(label):
    return format_html(' <span class="badge rounded-pill text-bg-light border">{}</span>', label)


def agency_links(lines):
    """Answer lines (``tasks.answering.AnswerLine``), "; " between them: the agency printed, linked
    when the catalogue has it; after a hand-over, the agency answering today, since when and by
    which decision."""
    return format_html_join("; ", "{}", ((_agency_link(line),) for line in lines))


def _agency_link(line):
    printed = line.printed_agency
    if printed:
        url = printed.get_absolute_url()
        html = format_html('<a href="{}" title="{}">{}</a>', url, printed.name, line.printed)
    else:
        html = format_html('<span class="text-body-secondary" title="{}">{}</span>',
                           _("Outside the catalogue"), line.printed)
    former_province = line.former_province
    if former_province:
        html += format_html(' <small class="text-body-secondary">({})</small>', former_province)
    if line.changed:
        since = _("since %(date)s") % {"date": date_format(line.since, "SHORT_DATE_FORMAT")}
        decision = format_html(" · {}", line.decision) if line.decision else ""
        html += format_html(
            ' <span class="answering-today text-nowrap">→ <a href="{}">{}</a></span>'
            '<small class="text-body-secondary d-block">{}{}</small>',
            line.answering.get_absolute_url(), line.answering.name, since, decision,
        )
    return html
