"""Chart.js configurations (plain data, passed to the page with ``json_script``) and the tables
that repeat their figures."""

from django.utils.translation import gettext as _

from reports.summary import CATEGORIES
from tasks.models import TaskStatus
from tasks.states import CATEGORY_LABELS, ProgressState

COLOURS = {
    "done_on_time": "#198754", "done_late": "#ffc107", "in_progress": "#0d6efd",
    "not_started": "#6c757d", "overdue": "#dc3545", "ongoing": "#0dcaf0",
}


def category_names():
    """The report's six categories as the interface names them (``tasks.states.CATEGORY_LABELS``)."""
    return {c: str(CATEGORY_LABELS[c]) for c in CATEGORIES}


def status_doughnut(totals):
    names = category_names()
    chart = {"type": "doughnut", "data": {
        "labels": [names[c] for c in CATEGORIES],
        "datasets": [{"data": [totals[c] for c in CATEGORIES],
                      "backgroundColor": [COLOURS[c] for c in CATEGORIES]}]}}
    return chart, [_("Status"), _("Tasks")], [[names[c], totals[c]] for c in CATEGORIES]


def agency_bars(rows):
    """Stacked horizontal bars, one per lead agency (readable on a phone)."""
    names = category_names()
    chart = {"type": "bar", "data": {
        "labels": [row["agency"] for row in rows],
        "datasets": [{"label": names[c], "data": [row[c] for row in rows], "backgroundColor": COLOURS[c]}
                     for c in CATEGORIES]},
        "options": {"indexAxis": "y", "scales": {"x": {"stacked": True}, "y": {"stacked": True}}}}
    headers = [_("Lead agency"), *(names[c] for c in CATEGORIES), _("Completion rate (%)")]
    table = [[row["agency"], *(row[c] for c in CATEGORIES), row["completion_rate"]] for row in rows]
    return chart, headers, table


def timeline(months):
    """Tasks falling due and tasks completed, month by month."""
    chart = {"type": "bar", "data": {
        "labels": [m["month"] for m in months],
        "datasets": [
            {"label": _("Falling due"), "data": [m["due"] for m in months], "backgroundColor": "#6c757d"},
            {"label": str(TaskStatus.COMPLETED.label), "data": [m["done"] for m in months],
             "backgroundColor": "#198754"},
        ]}}
    headers = [_("Month"), _("Falling due"), TaskStatus.COMPLETED.label, ProgressState.DONE_LATE.label]
    return chart, headers, [[m["month"], m["due"], m["done"], m["late"]] for m in months]


def trend(points):
    """Completion rate and overdue tasks at each month end."""
    chart = {"type": "line", "data": {
        "labels": [p["month"] for p in points],
        "datasets": [
            {"label": _("Completion rate (%)"), "data": [p["completion_rate"] for p in points],
             "borderColor": "#198754", "yAxisID": "rate"},
            {"label": str(ProgressState.OVERDUE.label), "data": [p["overdue"] for p in points],
             "borderColor": "#dc3545", "yAxisID": "count"},
        ]},
        "options": {"scales": {"rate": {"position": "left", "min": 0, "max": 100},
                               "count": {"position": "right", "beginAtZero": True}}}}
    headers = [_("Month"), _("Completion rate (%)"), ProgressState.OVERDUE.label, TaskStatus.COMPLETED.label]
    return chart, headers, [[p["month"], p["completion_rate"], p["overdue"], p["done"]] for p in points]


def ranking_bars(rows, with_targets=False):
    """The ranked agencies (``dashboards.ranking``'s "ranked"), best first: on-time and completion
    rates side by side, in the order they rank; the table adds what ranks them further (overdue,
    tasks come due) and the work awaiting acceptance. ``with_targets`` (rows of
    ``dashboards.ranking_with_targets``): the on-time rate with targets first, and the targets met
    over the agency's targets."""
    chart = {"type": "bar", "data": {
        "labels": [row["agency"] for row in rows],
        "datasets": [
            {"label": _("Completed on time (%)"), "data": [row["on_time_rate"] for row in rows],
             "backgroundColor": "#0d6efd"},
            {"label": _("Completion rate (%)"), "data": [row["completion_rate"] for row in rows],
             "backgroundColor": "#198754"},
        ]},
        "options": {"indexAxis": "y", "scales": {"x": {"min": 0, "max": 100}}}}
    headers = [_("Rank"), _("Lead agency"), _("Tasks come due"), TaskStatus.COMPLETED.label,
               _("Completed on time (%)"), _("Completion rate (%)"), ProgressState.OVERDUE.label,
               TaskStatus.AWAITING_ACCEPTANCE.label]
    table = [[row["rank"], row["agency"], row["come_due"], row["come_due_done"], row["on_time_rate"],
              row["completion_rate"], row["overdue"], row["awaiting_acceptance"]] for row in rows]
    if with_targets:
        chart["data"]["datasets"].insert(0, {"label": _("On time, targets included (%)"),
                                             "data": [row["score"] for row in rows],
                                             "backgroundColor": "#6f42c1"})
        headers += [_("Targets met"), _("Targets"), _("On time, targets included (%)")]
        for line, row in zip(table, rows, strict=True):
            line += [row["targets_met"], row["targets"], row["score"]]
    return chart, headers, table
