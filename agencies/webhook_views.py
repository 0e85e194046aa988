"""A provincial admin's webhooks for the province's other systems: list and add (the signing secret
shown once, on the next page), pause or activate, delete, send a test event, and a hook's recent
deliveries with their status codes. Only the admin's own province's hooks: another's is a 404,
anyone but a provincial admin gets a 403 (``agencies.webhooks.can_manage_webhooks``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agencies import webhooks
from agencies.forms import WebhookForm
from agencies.webhooks import Webhook, WebhookDelivery, can_manage_webhooks

# The secret just created, kept in the session until the next page shows it, once.
NEW_SECRET = "new_webhook_secret"
RECENT_DELIVERIES = 50


def _hooks(request):
    if not can_manage_webhooks(request.user):
        raise PermissionDenied
    return Webhook.objects.manageable_by(request.user)


def _hook(request, pk):
    return get_object_or_404(_hooks(request), pk=pk)


def webhook_list(request):
    """The province's webhooks, each with its last delivery; a new one (POST)."""
    hooks = _hooks(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = form.save(commit=False)
        hook.province_id, hook.created_by = request.user.province_id, request.user
        secret = hook.set_secret()
        hook.save()
        request.session[NEW_SECRET] = {"hook": hook.pk, "secret": secret}
        messages.success(request, _("The webhook %(name)s has been added.") % {"name": hook.name})
        return redirect("agencies:webhook", pk=hook.pk)
    last = WebhookDelivery.objects.filter(hook=OuterRef("pk")).order_by("-created_at", "-pk")
    hooks = hooks.select_related("created_by").annotate(
        last_state=Subquery(last.values("state")[:1]),
        last_status=Subquery(last.values("status_code")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )
    return render(request, "agencies/webhooks.html", {"hooks": hooks, "form": form})


@require_safe
def webhook_detail(request, pk):
    """A hook, its secret if it was just created (once), and its recent deliveries."""
    hook = _hook(request, pk)
    shown = request.session.get(NEW_SECRET)
    new_secret = None
    if shown and shown.get("hook") == hook.pk:
        new_secret = request.session.pop(NEW_SECRET)["secret"]
    deliveries = hook.deliveries.defer("payload", "log")[:RECENT_DELIVERIES]
    context = {"hook": hook, "deliveries": deliveries, "new_secret": new_secret}
    return render(request, "agencies/webhook_detail.html", context)


@require_POST
def webhook_toggle(request, pk):
    hook = _hook(request, pk)
    hook.active = not hook.active
    hook.save(update_fields=["active"])
    if hook.active:
        message = _("The webhook %(name)s is active again.")
    else:
        message = _("The webhook %(name)s is paused: no event is sent to it.")
    messages.success(request, message % {"name": hook.name})
    return redirect("agencies:webhook", pk=hook.pk)


@require_POST
def webhook_delete(request, pk):
    hook = _hook(request, pk)
    hook.delete()
    messages.success(request, _("The webhook %(name)s has been deleted.") % {"name": hook.name})
    return redirect("agencies:webhooks")


@require_POST
def webhook_ping(request, pk):
    """A test event ("ping") to this hook, queued as any delivery: the page shows how it went."""
    hook = _hook(request, pk)
    if not hook.active:
        messages.error(request, _("Activate the webhook before sending it a test event."))
    else:
        webhooks.ping(hook)
        messages.success(request, _("A test event has been queued; reload the page to see how it went."))
    return redirect("agencies:webhook", pk=hook.pk)
