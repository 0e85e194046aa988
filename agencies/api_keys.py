"""Credentials for the REST API (``config.api``): a user's personal access tokens, and the API keys a
provincial admin issues to another system of the province (the e-office system, the LGSP, the
operations centre's dashboards).

Only the SHA-256 of each secret is stored, as for calendar links (``hash_calendar_token``): the
secret is 32 random bytes, shown once, when it is created. A secret starts with a short prefix
telling tokens ("pat_") from keys ("key_"), so that the authentication looks in one table only and
a secret pasted in the wrong place is recognised in logs.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Province, Role, hash_calendar_token

TOKEN_PREFIX = "pat_"
KEY_PREFIX = "key_"
# last_used_at is written at most this often per credential: not one UPDATE on every request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def hash_secret(secret):
    """What is stored of a token's or a key's secret (the same rule as calendar links)."""
    return hash_calendar_token(secret)


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class CredentialQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class Credential(models.Model):
    """What tokens and keys share: a name, the hash of the secret, its first characters (to tell
    credentials apart in a list), a scope, an optional expiry, revocation and the last use."""

    PREFIX = ""

    name = models.CharField(_("name"), max_length=100)
    secret_hash = models.CharField(_("secret (hashed)"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"), null=True, blank=True,
        help_text=_("Left blank: the portal's default limit."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls):
        return cls.PREFIX + secrets.token_urlsafe(32)

    def set_secret(self):
        """A new secret for this credential, returned: it is known only now, only its hash is kept."""
        secret = self.new_secret()
        self.secret_hash = hash_secret(secret)
        self.hint = secret[: len(self.PREFIX) + 4]
        return secret

    @property
    def is_active(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def writes(self):
        return self.scope == Scope.READ_WRITE

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def touch(self):
        """Record a use: one conditional UPDATE, written at most once per ``LAST_USED_EVERY``."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_EVERY:
            return
        type(self).objects.filter(pk=self.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        self.last_used_at = now


class AccessToken(Credential):
    """A user's personal access token: a script or a tool calling the API as that user, with the
    user's own permissions (narrowed to reading unless the scope says otherwise). Created and
    revoked by the user in *Cài đặt của tôi*."""

    PREFIX = TOKEN_PREFIX

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens",
        verbose_name=_("user"),
    )

    class Meta(Credential.Meta):
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")


class APIKey(Credential):
    """An API key for another system of a province, issued by one of its provincial admins: it reads
    (and, with the read-write scope, will write) the province's data as a reader of the whole
    province, never another province's."""

    PREFIX = KEY_PREFIX

    province = models.ForeignKey(
        "agencies.Province", on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("province"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("issued by"),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Which system uses it, and who to call."))

    class Meta(Credential.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def principal(self):
        return KeyPrincipal(self)


class KeyPrincipal:
    """Who a request made with an API key acts as: a reader of the key's province, like a leader
    with no agency, and with the read-write scope also its admin. ``api_client`` (the key's name) is
    what the history names for what it writes (``tasks.workflow.record``). It has what
    ``visible_to`` and the permission predicates read of a user (``is_authenticated``,
    ``is_superuser``, ``province_id``, ``agency_id``, ``role`` …), and no row in the users' table."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    agency_id = None
    agency = None
    role = Role.LEADER
    pk = id = None
    is_focal_point = False
    sees_dashboards = True
    writes_reports = False

    def __init__(self, key):
        self.api_key = key
        self.province_id = key.province_id
        self.username = self.display_name = self.api_client = key.name
        # A read-write key writes as its province's admins do: imports, reviews, decisions, hand-overs.
        self.is_province_admin = key.writes

    @property
    def province(self):
        return self.api_key.province

    @property
    def held_province_ids(self):
        if not hasattr(self, "_held"):
            self._held = list(Province.objects.held_by(self.province_id).values_list("pk", flat=True))
        return self._held

    def __str__(self):
        return self.display_name

    def get_username(self):
        return self.username


def user_row(actor):
    """The users' row a change is recorded under: the user, or None for a system's API key (the
    history names the key instead: ``api_client``)."""
    return actor if actor is not None and actor.pk else None


def can_issue_api_keys(user):
    """Provincial admins issue and revoke their province's API keys (superusers, in the Django
    admin)."""
    return user.is_province_admin
