"""Comments in a task's history: their text with the agencies they mention, who may withdraw them,
and the comment form of the task's page."""

from django import template

from tasks.comment_forms import DATALIST_ID, comment_form
from tasks.mentions import render_comment
from tasks.permissions import can_withdraw

register = template.Library()


@register.filter
def comment_html(update):
    """A comment's words as HTML (escaped, line breaks kept, mentions linked); nothing once withdrawn."""
    return render_comment(update.comment_text, update.mentions or [])


@register.filter
def withdrawable_by(update, user):
    """Whether ``user`` may withdraw this comment now."""
    return update.withdrawal_entry is None and can_withdraw(user, update)


@register.inclusion_tag("tasks/_comment_form.html", takes_context=True)
def comment_box(context, task):
    """The comment form under a task's history, for whoever may comment (else nothing)."""
    form = comment_form(task, context["request"].user)
    return {
        "task": task,
        "form": form,
        "datalist_id": DATALIST_ID,
        "csrf_token": context.get("csrf_token"),
    }
