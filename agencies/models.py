"""Provinces, their agencies (with the aliases plans use for them) and the portal's users."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Subquery, When
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from config.expressions import AnyOf


class ProvinceQuerySet(models.QuerySet):
    def held_by(self, province, on=None):
        """``province`` and the provinces merged into it (on or before ``on``, when given): the
        merged Đà Nẵng holds the former Quảng Nam's plans. Two merger steps deep."""
        pk = getattr(province, "pk", province)
        merged = Q(successor_id=pk) | Q(successor__successor_id=pk)
        if on is not None:
            merged &= Q(active_until__lt=on)
        return self.filter(Q(pk=pk) | merged)

    def in_force(self, on):
        return self.filter(Q(active_until__isnull=True) | Q(active_until__gte=on))

    def visible_to(self, user):
        """The user's province and those merged into it (their plans are the user's); every province
        for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.province_id is None:
            return self.none()
        return self.held_by(user.province_id)


class Province(models.Model):
    """A province (or centrally run city): the boundary of what its users may see.

    A province merged into another on 1 July 2025 keeps its row (its plans and agencies point at it)
    with ``active_until`` and the ``successor`` that holds them since: its users moved there, and
    the successor's users see its plans (``ProvinceScopedQuerySet.visible_to``).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    succession_note = models.TextField(_("note on the merger"), blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name

    @property
    def has_ended(self):
        return self.active_until is not None and self.successor_id is not None

    @property
    def label(self):
        """The name with "(cũ)" once merged away: "Quảng Nam (cũ)"."""
        return _("%(name)s (former)") % {"name": self.name} if self.has_ended else self.name

    def in_office_on(self, day):
        """The province holding this one's plans on ``day``, following mergers."""
        return follow_successors(self, day)[0]



class ProvinceScopedQuerySet(models.QuerySet):
    """Rows belong to a province through ``province_path``; users see their own province only."""

    province_path = "province"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.province_id is None:
            return self.none()
        held = Province.objects.held_by(user.province_id).values("pk")
        return self.filter(AnyOf(F(f"{self.province_path}_id"), Subquery(held)))


class AgencyKind(models.TextChoices):
    PROVINCE_OFFICE = "province_office", _("People's Committee / its office")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District People's Committee")
    COMMUNE_GROUP = "commune_group", _("Commune People's Committees")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    PRESS = "press", _("Press")
    TAX = "tax", _("Tax")
    BANK = "bank", _("Bank")
    YOUTH_UNION = "youth_union", _("Youth union")
    ENTERPRISE = "enterprise", _("Enterprise")
    CENTRAL = "central", _("Central agency")
    GROUP = "group", _("Group of agencies")


def follow_successors(record, day):
    """``(record carrying on on day, since)`` for a province or an agency ended before ``day``: its
    successor, theirs in turn; ``since`` is the day after the last end followed (None: itself)."""
    since = None
    for _step in range(10):  # chains are short; the bound guards against a cycle typed in admin
        if not (record.active_until and record.active_until < day and record.successor_id):
            break
        since = record.active_until + datetime.timedelta(days=1)
        record = record.successor
    return record, since


def holds_on(record, day):
    """Python twin of :func:`in_force`: ``record`` (agency, assignment) exists on ``day``."""
    return (record.active_from is None or record.active_from <= day) and (
        record.active_until is None or record.active_until >= day
    )


def in_force(on, prefix=""):
    """The agency at ``prefix`` ("" or e.g. "members__") exists on ``on``."""
    return (Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": on})) & (
        Q(**{f"{prefix}active_until__isnull": True}) | Q(**{f"{prefix}active_until__gte": on})
    )


class AgencyQuerySet(ProvinceScopedQuerySet):
    def active(self, on):
        """Agencies that exist on ``on`` (before their 2025 merger, for instance)."""
        return self.filter(in_force(on))

    def answered_in_force(self, on):
        """Agencies whose assignments someone still answers for on ``on``: an agency in force, not a
        group, reached by :func:`bound_agency_paths` (itself, a member, a successor). A district
        People's Committee dissolved without successor, or a group of them, is answered by nobody."""
        answered = Q()
        for path, bound in bound_agency_paths(on):
            prefix = f"{path}__" if path else ""
            reached = Q(**{f"{path}__isnull": False}) if path else Q()
            answered |= reached & bound & ~Q(**{f"{prefix}kind__in": Agency.GROUP_KINDS})
        return self.filter(answered)

    def groups(self):
        return self.filter(kind__in=Agency.GROUP_KINDS)

    def carried_by(self, agency, on):
        """``agency`` and the agencies merged into it before ``on`` whose duties it carries on (the
        paths of :func:`bound_agency_paths` without group membership): whose assignments a
        hand-over of ``agency``'s tasks ends."""
        pk = getattr(agency, "pk", agency)
        carried = Q()
        for path, conditions in _succession_paths(on):
            if "members" not in path:
                carried |= Q(**{path or "pk": pk}, **conditions)
        return self.filter(carried)

    def answered_by(self, agency, on):
        """The agencies whose assignments ``agency`` (an Agency or its pk) answers for on ``on``:
        itself, its groups, the agencies merged into it (:func:`bound_agency_paths`); none once
        ``agency`` itself has ended."""
        pk = getattr(agency, "pk", agency)
        answered = Q()
        for path, bound in bound_agency_paths(on):
            answered |= Q(**{path or "pk": pk}) & bound
        return self.filter(answered)


def people_committee(province):
    """``(authority, committee)``: the province's People's Committee as a document prints it over
    the province's departments ("UBND tỉnh Đồng Tháp", "UBND thành phố Đà Nẵng") and as a recipient
    ("UBND tỉnh"), from the catalogue's People's Committee (an office with no superior). One query."""
    office = (
        Agency.objects.filter(province=province, kind=AgencyKind.PROVINCE_OFFICE, parent__isnull=True)
        .order_by("pk").values_list("name", flat=True).first()
    ) or "UBND tỉnh"
    if province.name.casefold() in office.casefold():
        return office, office
    return f"{office} {province.name}", office


def bound_pairs(assigned, on):
    """``(assigned_id, answering_id)`` for each agency that answers on ``on`` for an assignment to
    one of ``assigned`` (agency pks: a collection, or a flat ``values_list`` queryset), following
    :func:`bound_agency_paths`: the agency itself, a group's members, the successor of an agency
    merged away. Two queries."""
    # A handful of ids: read first, each part of the union plans as a few index lookups (as one
    # subquery per part, PostgreSQL once chose a plan that ran for minutes).
    assigned = {pk for pk in assigned if pk is not None}
    if not assigned:
        return set()
    parts = [
        Agency.objects.filter(bound, pk__in=assigned, **{f"{path or 'pk'}__isnull": False})
        .values_list("pk", path or "pk")
        .order_by()
        for path, bound in bound_agency_paths(on)
    ]
    return set(parts[0].union(*parts[1:]))


def bound_agency_paths(on):
    """Which agencies an assignment to an agency binds on ``on``, as ``(path, condition)`` from the
    assigned agency: itself; a group's members ("Các sở, ban, ngành Tỉnh" makes every department a
    lead); and in place of an agency merged away before ``on``, its successor, which carries its
    duties (Sở Kế hoạch và Đầu tư's tasks are Sở Tài chính's from 1 March 2025). Two steps deep:
    a group's merged member, a merged group's successor and its members, a successor merged in
    turn. The agency bound is always one in force on ``on``: an agency that has ended answers for
    nothing. The one definition behind ``Task.objects.for_agency``, notifications, the report
    submissions and the reminder scan's reach."""
    return [
        (path, Q(**conditions) & in_force(on, f"{path}__" if path else ""))
        for path, conditions in _succession_paths(on)
    ]


def _succession_paths(on):
    """The paths of :func:`bound_agency_paths` with their conditions, whether or not the agency
    reached is still in force."""
    return [
        ("", {}),
        ("members", {}),
        ("successor", {"active_until__lt": on}),
        ("members__successor", {"members__active_until__lt": on}),
        ("successor__members", {"active_until__lt": on}),
        ("successor__successor", {"active_until__lt": on, "successor__active_until__lt": on}),
    ]


def in_office(path, on, field="pk"):
    """An expression: ``field`` of the agency at ``path`` (e.g. "assignments__agency") or, for one
    merged away before ``on``, of the successor carrying its duties on ``on``, as far as
    :func:`bound_agency_paths` follows successors."""
    successor, second = f"{path}__successor", f"{path}__successor__successor"
    merged = {f"{path}__active_until__lt": on}
    return Case(
        When(
            **merged,
            **{f"{successor}__active_until__lt": on, f"{second}__isnull": False},
            then=F(f"{second}__{field}"),
        ),
        When(**merged, **{f"{successor}__isnull": False}, then=F(f"{successor}__{field}")),
        default=F(f"{path}__{field}"),
    )


class Agency(models.Model):
    """An agency of a province as plans name it, e.g. "Sở Nội vụ" or the group "UBND cấp huyện".

    Group agencies stand for a set of agencies (``members``): a task led by "Các sở, ban, ngành Tỉnh"
    is owed by every department. Agencies merged in the 2025 reorganisation keep their rows (old tasks
    point at them) with ``active_until`` and the ``successor`` that took their duties over.
    """

    GROUP_KINDS = (AgencyKind.GROUP, AgencyKind.COMMUNE_GROUP)

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    name = models.CharField(_("canonical name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("administrative superior"),
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_of",
        verbose_name=_("members (for a group)"),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    succession_note = models.TextField(_("note on the reorganisation"), blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="agency_unique_name_per_province"),
        ]
        indexes = [models.Index(fields=["province", "kind"], name="agency_province_kind")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:detail", args=[self.pk])

    @property
    def is_group(self):
        return self.kind in self.GROUP_KINDS

    def holds_on(self, day):
        return holds_on(self, day)

    def in_office_on(self, day):
        """The agency that carries this one's duties on ``day``, following successors."""
        return follow_successors(self, day)[0]


class AgencyAlias(models.Model):
    """Another way plans write an agency's name: "Sở TT&TT" for "Sở Thông tin và Truyền thông"."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("agency")
    )
    name = models.CharField(_("alias"), max_length=255)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="alias_unique_per_agency")]

    def __str__(self):
        return self.name


class RestructuringChange(models.Model):
    """One dated change of the administration as applied (``apply_restructuring``), with what it
    moved in the catalogue: for the admin to see who carries on whose work, and since when."""

    effective_date = models.DateField(_("effective from"))
    province_slug = models.CharField(_("province"), max_length=50)
    old_name = models.CharField(_("old name"), max_length=255)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    kind = models.CharField(_("kind of change"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    moves = models.JSONField(_("what moved"), default=list, blank=True)
    applied_at = models.DateTimeField(_("applied"), auto_now=True)

    class Meta:
        ordering = ["effective_date", "province_slug", "pk"]
        verbose_name = _("change of the administration")
        verbose_name_plural = _("changes of the administration")
        constraints = [
            models.UniqueConstraint(
                fields=["effective_date", "province_slug", "old_name", "new_name"],
                name="restructuring_change_once",
            ),
        ]

    def __str__(self):
        return f"{self.effective_date:%d/%m/%Y} {self.old_name} → {self.new_name or '—'}"


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Provincial admin")
    FOCAL_POINT = "focal_point", _("Agency focal point")
    LEADER = "leader", _("Leader (read-only)")


def hash_calendar_token(token):
    """What is stored of a calendar link's secret. The secret is 32 random bytes, too many to find
    by trying hashes: a plain SHA-256 is enough, with no salt or slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(AbstractUser):
    """A portal user. Everyone but a superuser belongs to one province, and usually to one agency."""

    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("province"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEADER)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email_reminders = models.BooleanField(
        _("e-mail reminders"),
        default=True,
        help_text=_("Deadline reminders by e-mail. Escalations are always sent."),
    )
    # Only the SHA-256 of the calendar link's secret: a copy of the database opens nobody's calendar.
    calendar_token_hash = models.CharField(
        _("calendar link key (hashed)"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The identity provider's stable subject ("sub") once the user has signed in through it.
    oidc_subject = models.CharField(
        _("single sign-on subject"), max_length=255, null=True, blank=True, unique=True,
        help_text=_("The identity provider's identifier for this person, set at their first single sign-on."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["agency", "role"], name="user_agency_role")]

    def clean(self):
        super().clean()
        if self.agency_id and self.province_id and self.agency.province_id != self.province_id:
            raise ValidationError({"agency": _("The agency must belong to the user's province.")})
        if self.role == Role.FOCAL_POINT and not self.agency_id:
            raise ValidationError({"agency": _("A focal point must belong to an agency.")})
        if not self.is_superuser and not self.province_id:
            raise ValidationError({"province": _("Every user but a superuser belongs to a province.")})

    @cached_property
    def held_province_ids(self):
        """The user's province and those merged into it: what the user may see."""
        if self.province_id is None:
            return []
        return list(Province.objects.held_by(self.province_id).values_list("pk", flat=True))

    def renew_calendar_token(self):
        """A new secret for the user's calendar link, returned: it is known only now, and only its
        hash is kept. The old link stops working."""
        token = secrets.token_urlsafe(32)
        self.calendar_token_hash = hash_calendar_token(token)
        self.save(update_fields=["calendar_token_hash"])
        return token

    def revoke_calendar_token(self):
        self.calendar_token_hash = None
        self.save(update_fields=["calendar_token_hash"])

    @property
    def display_name(self):
        """How pages, e-mails and documents name the person: their full name, else their login."""
        return self.get_full_name() or self.username

    @property
    def is_province_admin(self):
        return self.role == Role.PROVINCE_ADMIN and self.province_id is not None

    @property
    def is_focal_point(self):
        return self.role == Role.FOCAL_POINT and self.agency_id is not None

    @property
    def sees_dashboards(self):
        """Leaders and provincial admins read their province's dashboards; superusers any."""
        return self.is_superuser or (
            self.province_id is not None and self.role in (Role.LEADER, Role.PROVINCE_ADMIN)
        )

    @property
    def writes_reports(self):
        """Focal points draft their agency's report documents; admins see and consolidate them."""
        return self.is_superuser or self.is_province_admin or self.is_focal_point


# The REST API's credentials and the webhooks live in modules of their own; importing them here
# registers their models.
from agencies import api_keys, webhooks  # noqa: E402, F401
