"""The user's own notifications: the list, and marking one or all of them read."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from tasks.models import Notification

NOTIFICATIONS_PER_PAGE = 30


@require_GET
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).select_related("task__plan", "target__plan")
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/notification_list.html", {"page": page})


@require_POST
def mark_read(request, pk):
    """Mark one notification read; ``open`` goes on to its task, else back to the list (htmx: the row)."""
    notification = get_object_or_404(
        Notification.objects.for_user(request.user).select_related("task__plan", "target__plan"), pk=pk
    )
    Notification.objects.filter(pk=notification.pk).mark_read()
    if "open" in request.POST:
        if notification.urging_id:  # an urging notice opens on the notice: it lists all the tasks urged
            return redirect("tasks:urging_notice", notification.urging_id)
        return redirect(notification.about)
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        return render(request, "tasks/_notification.html", {"notification": notification})
    return redirect("tasks:notifications")


@require_POST
def mark_all_read(request):
    Notification.objects.for_user(request.user).mark_read()
    return redirect("tasks:notifications")
