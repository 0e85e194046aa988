"""Template context every page gets from the tasks app."""

from django.utils.functional import SimpleLazyObject

from tasks.models import Notification


def _unread_count(user):
    # tasks.auth.PortalBackend loads the count with the user: no query of its own.
    if hasattr(user, "unread_notification_count"):
        return user.unread_notification_count
    return Notification.objects.for_user(user).unread().count()


def notifications(request):
    """``unread_notification_count`` for the navbar, counted only if a template shows it."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: _unread_count(user))}
