"""Single sign-on through the province's OpenID Connect identity provider (mozilla-django-oidc).

The provider says who someone is; the portal alone says what they may do. A person signs in to an
account an administrator made: the one bound to the provider's subject (``sub``), or, the first time,
the one account whose e-mail address the provider has verified, which is then bound to that subject.
No account is ever created, and nothing the provider sends (names, groups, roles) changes a province,
an agency or a role.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.db import IntegrityError
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from agencies.models import User
from tasks.auth import PortalBackend

logger = logging.getLogger("portal.sso")

# Seconds of clock difference tolerated between the provider and the portal when reading a token.
CLOCK_LEEWAY = 60


class SignOnRefused(Exception):
    """The provider's answer does not let this person in; ``message`` tells them why (translated)."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.message = message
        self.reason = reason  # for the log, in English


def _verified(claims):
    # Some providers send the flag as the string "true".
    return claims.get("email_verified") in (True, "true")


def account_for(claims):
    """The account the identity provider's ``claims`` (its userinfo) sign in to, binding it to the
    subject the first time. Raises :class:`SignOnRefused` rather than guess."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise SignOnRefused(_("The identity provider did not say who you are."), "no subject")
    user = User.objects.filter(oidc_subject=subject).first()
    if user is None:
        user = _first_sign_on(subject, claims)
    if not user.is_active:
        raise SignOnRefused(
            _("Your account on the portal is disabled. Ask the portal's administrator."), "inactive account"
        )
    return user


def _first_sign_on(subject, claims):
    no_account = SignOnRefused(
        _(
            "The portal has no account for you yet. Ask your province's portal administrator to create "
            "one with the e-mail address you use at the identity provider."
        ),
        "no matching account",
    )
    email = claims.get("email")
    if not settings.OIDC_MATCH_VERIFIED_EMAIL or not isinstance(email, str) or not email.strip():
        raise no_account
    if not _verified(claims):
        raise SignOnRefused(
            _(
                "The identity provider has not verified your e-mail address, so the portal cannot tell "
                "which account is yours. Verify it there, or ask the portal's administrator."
            ),
            "e-mail not verified",
        )
    accounts = list(User.objects.filter(email__iexact=email.strip())[:2])
    if not accounts:
        raise no_account
    if len(accounts) > 1:
        raise SignOnRefused(
            _(
                "Several accounts on the portal have your e-mail address. Ask the portal's administrator "
                "to link your sign-on to one of them."
            ),
            "several accounts with the e-mail",
        )
    user = accounts[0]
    if user.oidc_subject:
        raise SignOnRefused(
            _(
                "The account with your e-mail address is linked to another identity. Ask the portal's "
                "administrator."
            ),
            "account bound to another subject",
        )
    if user.is_superuser:
        # A superuser is bound by hand (the admin's "single sign-on subject"): a provider that let
        # anyone claim an address would otherwise hand over the whole portal.
        raise SignOnRefused(
            _("This account signs on only once the administrator has linked it to your identity."),
            "superuser not bound",
        )
    try:
        bound = User.objects.filter(pk=user.pk, oidc_subject__isnull=True).update(oidc_subject=subject)
    except IntegrityError:  # the same subject bound by a parallel first sign-on
        bound = 0
    if not bound:
        raise SignOnRefused(_("Signing on did not finish. Please try again."), "binding raced")
    user.oidc_subject = subject
    logger.info("single sign-on: subject %s bound to user %s by verified e-mail", subject, user.pk)
    return user


class ProvinceIdentityBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with the ID token's issuer, audience and expiry checked, the
    userinfo's subject required to be the token's, and people matched by :func:`account_for`."""

    def retrieve_matching_jwk(self, token):
        # mozilla-django-oidc's requires a "kid" in the token; a provider with one key may leave it out.
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
        )
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        document = response.json()
        published = document.get("keys") if isinstance(document, dict) else None
        keys = [
            key
            for key in (published if isinstance(published, list) else [])
            if isinstance(key, dict)
            and key.get("use", "sig") == "sig"
            and key.get("alg", header.get("alg")) == header.get("alg")
            and ("kid" not in header or key.get("kid") == header["kid"])
        ]
        if len(keys) != 1:
            raise SignOnRefused(
                _("The identity provider's answer could not be verified."), f"{len(keys)} signing keys match"
            )
        try:
            return jwt.PyJWK(keys[0])
        except jwt.PyJWTError as error:
            raise SignOnRefused(
                _("The identity provider's answer could not be verified."), str(error)
            ) from None

    def get_payload_data(self, token, key):
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SignOnRefused(_("The identity provider's answer could not be verified."), "wrong algorithm")
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=CLOCK_LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SignOnRefused(
                _("The identity provider's answer could not be verified."), f"ID token refused: {error}"
            ) from None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SignOnRefused(
                _("The identity provider's answer could not be verified."), "userinfo subject differs"
            )
        return account_for(claims)

    def get_user(self, user_id):
        return PortalBackend().get_user(user_id)
