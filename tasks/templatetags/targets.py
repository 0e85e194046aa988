"""Showing targets and indicators: the promised figure as a clerk writes it, a figure in Vietnamese,
and the labels of a target's state and trend."""

from django import template

from tasks.targets.judging import MET, NOT_MET, NOT_REPORTED
from tasks.targets.models import describe, format_number
from tasks.targets.standing import STATE_LABELS, TREND_LABELS

register = template.Library()

STATE_STYLES = {MET: "success", NOT_MET: "danger", NOT_REPORTED: "secondary"}


@register.filter
def promise(record):
    return describe(record)


@register.filter
def figure(value):
    return format_number(value)


@register.inclusion_tag("tasks/_target_state.html")
def target_state(state, trend=None):
    return {"label": STATE_LABELS[state], "style": STATE_STYLES[state], "trend": trend,
            "trend_label": TREND_LABELS.get(trend, "")}
