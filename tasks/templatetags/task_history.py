from django import template

from tasks.history import describe

register = template.Library()


@register.filter
def described(changes):
    """A history entry's ``changes`` as rows of label, before, after (see tasks.history)."""
    return describe(changes or {})
