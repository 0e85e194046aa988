"""Who calls the API. A browser signed in to the portal calls it with its session (DRF's
``SessionAuthentication``, CSRF-checked on writes); a script or another system with
``Authorization: Bearer <secret>``, the secret of a personal access token (acting as its user) or of
an API key (acting as a reader of the key's province, :class:`agencies.api_keys.KeyPrincipal`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from agencies.api_keys import KEY_PREFIX, TOKEN_PREFIX, AccessToken, APIKey, hash_secret

INVALID = _("The token or API key is not valid, has expired or was revoked.")


class BearerAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer pat_…`` (a personal access token) or ``Bearer key_…`` (an API key).
    ``request.auth`` is then the token or the key: the permissions read its scope, the throttle its
    own rate. One query to find it, and at most one UPDATE a minute for its last use."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Write the header as: Authorization: Bearer <secret>."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        if secret.startswith(TOKEN_PREFIX):
            token = (
                AccessToken.objects.usable().select_related("user__province", "user__agency")
                .filter(secret_hash=hash_secret(secret), user__is_active=True).first()
            )
            if token is None:
                raise exceptions.AuthenticationFailed(INVALID)
            token.touch()
            token.user.api_client = token.name  # the history names the token beside its user
            return token.user, token
        if secret.startswith(KEY_PREFIX):
            key = APIKey.objects.usable().select_related("province").filter(
                secret_hash=hash_secret(secret)).first()
            if key is None:
                raise exceptions.AuthenticationFailed(INVALID)
            key.touch()
            return key.principal(), key
        raise exceptions.AuthenticationFailed(INVALID)

    def authenticate_header(self, request):
        # A 401 (not a 403) to a call without credentials, telling how to send them.
        return self.keyword
