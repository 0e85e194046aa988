"""The authentication backend: Django's, loading the signed-in user with their unread count, and
taking no password at all while the province has turned local log-in off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tasks.models import Notification


class PortalBackend(ModelBackend):
    """Adds ``unread_notification_count`` to the user of each request in the same query that loads
    the user, so the navbar counter on every page costs no query."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user = (
            get_user_model()
            ._default_manager.annotate(unread_notification_count=Coalesce(Subquery(unread), 0))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
