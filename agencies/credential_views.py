"""The API's credentials in the portal: a user's personal access tokens (in *Cài đặt của tôi*) and a
provincial admin's API keys for the province's other systems. A new secret is shown once, on the
next page, then only its hash is kept (``agencies.api_keys``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.api_keys import AccessToken, APIKey, can_issue_api_keys
from agencies.forms import AccessTokenForm, APIKeyForm

# The secret just created, kept in the session until the next page shows it, once.
NEW_SECRET = "new_api_secret"


def pop_new_secret(request):
    return request.session.pop(NEW_SECRET, None)


def _issue(request, credential):
    request.session[NEW_SECRET] = credential.set_secret()
    credential.save()


@require_POST
def create_token(request):
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        token = form.save(commit=False)
        token.user = request.user
        _issue(request, token)
        messages.success(request, _("A personal access token has been created."))
    else:
        messages.error(request, _("Give the token a name of at most 100 characters."))
    return redirect(reverse("agencies:profile") + "#api-tokens")


@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(AccessToken.objects.usable(), pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("The token %(name)s has been revoked.") % {"name": token.name})
    return redirect(reverse("agencies:profile") + "#api-tokens")


def _province_keys(request):
    if not can_issue_api_keys(request.user):
        raise PermissionDenied
    return APIKey.objects.filter(province=request.user.province_id).select_related("created_by")


def api_keys(request):
    """A provincial admin's API keys for the province's other systems: list, issue (POST)."""
    keys = _province_keys(request)
    form = APIKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.save(commit=False)
        key.province_id, key.created_by = request.user.province_id, request.user
        _issue(request, key)
        messages.success(request, _("The API key %(name)s has been issued.") % {"name": key.name})
        return redirect("agencies:api_keys")
    context = {"keys": keys, "form": form, "new_secret": pop_new_secret(request)}
    return render(request, "agencies/api_keys.html", context)


@require_POST
def revoke_api_key(request, pk):
    key = get_object_or_404(_province_keys(request).usable(), pk=pk)
    key.revoke()
    messages.success(request, _("The API key %(name)s has been revoked.") % {"name": key.name})
    return redirect("agencies:api_keys")
