"""Dated changes of the administration applied to the catalogue: provinces merged (1 July 2025),
departments merged, renamed or dissolved (1 March 2025), district People's Committees dissolved.

The CSV is that of the shared fixture ``restructuring-2025.csv``: ``effective_date, province,
old_name, new_name, kind_of_change (merge|rename|split|dissolve), note``. :func:`read_changes`
parses it (pure); :func:`apply_changes` brings the catalogue in line and returns what moved, in
words. Nothing is written when nothing differs, so applying a file twice changes nothing the
second time; with ``dry_run`` the same work runs and is rolled back.

A province merged into another ends the day before; each of its agencies still in force ends too,
carried on by the same-role agency of the merged province ("Sở Nội vụ" by "Sở Nội vụ", "Công an
tỉnh" by "Công an thành phố", created there when its name is generic), or by nobody when there is
none (its open tasks are then listed as orphaned work for the admin to hand over). Users move with
their province and agency, and keep their logins.
"""

import csv
import datetime
import functools
import io
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind, Province, RestructuringChange, User
from agencies.names import clean_text, fold_accents, fold_name

COLUMNS = ("effective_date", "province", "old_name", "new_name", "kind_of_change", "note")
KINDS = ("merge", "rename", "split", "dissolve")
_PROVINCE_PREFIX = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)
_LEVEL_WORDS = re.compile(r"\b(tinh|thanh pho|cua)\b")
# Agencies a merged province gets when the other had none of that name: a department ("Sở Ngoại
# vụ"), a central body a plan names. Not a People's Committee, its police or its press.
CREATED_KINDS = (AgencyKind.DEPARTMENT, AgencyKind.CENTRAL)


class RestructuringError(ValueError):
    """The file cannot be read; the message says where (in Vietnamese, for the admin)."""


@dataclass(frozen=True)
class Change:
    effective_date: datetime.date
    province: str
    old_name: str
    new_name: str
    kind: str
    note: str
    line: int

    @property
    def day_before(self):
        return self.effective_date - datetime.timedelta(days=1)


def read_changes(text):
    """The changes of a CSV text, in date order (the file's order within a day)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        columns = ", ".join(missing)
        raise RestructuringError(_("The file lacks the columns: %(columns)s.") % {"columns": columns})
    changes, errors = [], []
    for line, row in enumerate(reader, start=2):
        values = {key: clean_text(row.get(key) or "") for key in COLUMNS}
        try:
            day = datetime.date.fromisoformat(values["effective_date"])
        except ValueError:
            errors.append(_("line %(line)d: the date “%(value)s” is not YYYY-MM-DD")
                          % {"line": line, "value": values["effective_date"]})
            continue
        if values["kind_of_change"] not in KINDS:
            errors.append(_("line %(line)d: the kind of change must be one of %(kinds)s")
                          % {"line": line, "kinds": ", ".join(KINDS)})
            continue
        if not values["old_name"] or not values["province"]:
            errors.append(_("line %(line)d: the province and the old name are required") % {"line": line})
            continue
        changes.append(Change(day, values["province"], values["old_name"], values["new_name"],
                              values["kind_of_change"], values["note"], line))
    if errors:
        raise RestructuringError("; ".join(errors[:10]))
    return sorted(changes, key=lambda change: change.effective_date)


def province_name(text):
    """"Quảng Nam" for "Tỉnh Quảng Nam", "Đà Nẵng" for "Thành phố Đà Nẵng"; None for an agency."""
    text = clean_text(text)
    stripped = _PROVINCE_PREFIX.sub("", text)
    return stripped if stripped != text else None


@functools.lru_cache(maxsize=4096)
def _fold(text):
    return fold_name(text)


def role_key(name, province_names=()):
    """What an agency does, without where: "Công an tỉnh", "Công an thành phố Đà Nẵng" and "Công
    an tỉnh Quảng Nam" all give "cong an"."""
    return _role_key(name, tuple(province_names))


@functools.lru_cache(maxsize=4096)
def _role_key(name, province_names):
    key = _fold(name)
    for province in province_names:
        key = key.replace(_fold(province), " ")
    return " ".join(_LEVEL_WORDS.sub(" ", key).split())


def apply_changes(changes, dry_run=False, today=None):
    """Apply ``changes``; return one line per move (what the admin reads, and the admin records)."""
    today = today or datetime.date.today()
    with transaction.atomic():
        run = _Run(changes, today)
        run.apply()
        if dry_run:
            transaction.set_rollback(True)
    return run.moves


class _Run:
    def __init__(self, changes, today):
        self.changes = changes
        self.today = today
        self.moves = []
        self._catalogues = {}  # province pk -> [(agency, its names)], read once

    def apply(self):
        for day in sorted({change.effective_date for change in self.changes}):
            of_day = [change for change in self.changes if change.effective_date == day]
            targets = self._province_targets(of_day)
            for change in of_day:
                if province_name(change.old_name) is None:
                    self._agency_change(change, targets)
            for change in of_day:
                if province_name(change.old_name) is not None:
                    self._province_change(change)
        self._move_users()

    def _say(self, change, text):
        self.moves.append(text)
        record, _created = RestructuringChange.objects.get_or_create(
            effective_date=change.effective_date, province_slug=change.province,
            old_name=change.old_name, new_name=change.new_name,
            defaults={"kind": change.kind, "note": change.note},
        )
        record.moves = [*record.moves, text]
        record.save(update_fields=["moves"])

    # --- provinces ---------------------------------------------------------------------------------

    def _province_targets(self, of_day):
        """Row province slug → the province its new agencies belong to that day."""
        targets = {}
        for change in of_day:
            old, new = province_name(change.old_name), province_name(change.new_name or "")
            if old and new and _fold(old) != _fold(new):
                province = self._province(change.province)
                if province and _fold(province.name) == _fold(old):
                    targets[change.province] = new
        return targets

    def _province(self, slug):
        return Province.objects.filter(slug=slug).first()

    def _named_province(self, name, create_for=None):
        province = next((p for p in Province.objects.all() if _fold(p.name) == _fold(name)), None)
        if province is None and create_for is not None:
            province = Province.objects.create(name=name, slug=slugify(fold_accents(name)))
            self._say(create_for, _("Province %(name)s created") % {"name": name})
        return province

    def _province_change(self, change):
        old_name, new_name = province_name(change.old_name), province_name(change.new_name or "")
        if not new_name or _fold(old_name) == _fold(new_name):
            return  # the receiving province keeps its name (and its row)
        old = self._named_province(old_name, create_for=change)
        new = self._named_province(new_name, create_for=change)
        if old.successor_id != new.pk or old.active_until != change.day_before:
            old.successor, old.active_until, old.succession_note = new, change.day_before, change.note
            old.save(update_fields=["successor", "active_until", "succession_note"])
            self._say(change, _("%(old)s merged into %(new)s from %(date)s")
                      % {"old": old.name, "new": new.name, "date": _date(change.effective_date)})
        # Agencies still in force when the merger takes effect: not those ended by this day's rows.
        in_force = [a for a, _names in self._catalogue(old) if a.holds_on(change.effective_date)]
        for agency in sorted(in_force, key=lambda a: a.name):
            self._carry(change, agency, new, (old.name, new.name))

    def _carry(self, change, agency, province, province_names):
        """``agency`` of a merged province ends; the same-role agency of ``province`` carries on."""
        counterpart = self._counterpart(agency, province, province_names, change.effective_date)
        generic = role_key(agency.name, province_names) == _fold(agency.name)
        if counterpart is None and generic and agency.kind in CREATED_KINDS:
            counterpart = self._create(
                province=province, name=agency.name, kind=agency.kind, active_from=change.effective_date
            )
            self._say(change, _("%(agency)s created in %(province)s") % {"agency": agency.name,
                                                                          "province": province.name})
        self._end(change, agency, counterpart)

    def _counterpart(self, agency, province, province_names, day):
        wanted = {role_key(name, province_names) for name in self._names_of(agency)}
        for candidate, names in self._catalogue(province):
            if candidate.holds_on(day) and wanted & {role_key(name, province_names) for name in names}:
                return candidate
        return None

    def _catalogue(self, province):
        if province.pk not in self._catalogues:
            agencies = Agency.objects.filter(province=province).prefetch_related("aliases").order_by("pk")
            self._catalogues[province.pk] = [
                (agency, [agency.name, *(alias.name for alias in agency.aliases.all())])
                for agency in agencies
            ]
        return self._catalogues[province.pk]

    def _names_of(self, agency):
        catalogue = self._catalogue(agency.province)
        return next(names for candidate, names in catalogue if candidate.pk == agency.pk)

    def _create(self, **fields):
        agency = Agency.objects.create(**fields)
        self._catalogue(agency.province).append((agency, [agency.name]))
        return agency

    # --- agencies ----------------------------------------------------------------------------------

    def _agency_change(self, change, targets):
        province = self._province(change.province)
        if province is None:
            return
        old = self._find(province, change.old_name)
        if old is None:
            return  # not in this portal's catalogue (a district merged before it was tracked)
        successor = None
        if change.new_name:
            target = province
            if change.province in targets:
                target = self._named_province(targets[change.province])
            successor = self._find(target, change.new_name)
            if successor is not None and successor.pk == old.pk:
                return  # the receiving agency keeps its name
            if successor is None:
                successor = self._create(
                    province=target, name=change.new_name, kind=old.kind,
                    parent=old.parent if target == province else None, active_from=change.effective_date,
                )
                if old.is_group:
                    successor.members.set(old.members.active(change.effective_date))
                self._say(change, _("%(agency)s created in %(province)s") % {"agency": successor.name,
                                                                              "province": target.name})
        self._end(change, old, successor)

    def _find(self, province, name):
        """The agency of ``province`` named ``name`` (or with that alias), else the one with the same
        role ("UBND tỉnh Đồng Tháp" is the province's "UBND tỉnh")."""
        key = _fold(name)
        catalogue = self._catalogue(province)
        for agency, names in catalogue:
            if key in {_fold(n) for n in names}:
                return agency
        wanted = role_key(name, [province.name])
        return next((a for a, _names in catalogue if role_key(a.name, [province.name]) == wanted), None)

    def _end(self, change, agency, successor):
        successor_id = successor.pk if successor else None
        if agency.active_until == change.day_before and agency.successor_id == successor_id:
            return
        agency.active_until, agency.successor = change.day_before, successor
        agency.succession_note = change.note
        agency.save(update_fields=["active_until", "successor", "succession_note"])
        values = {"agency": agency.name, "province": agency.province.name, "date": _date(change.day_before)}
        if successor:
            self._say(change, _("%(agency)s (%(province)s) ends on %(date)s; %(successor)s carries on")
                      % {**values, "successor": f"{successor.name} ({successor.province.name})"})
        else:
            self._say(change, _("%(agency)s (%(province)s) ends on %(date)s with no successor: hand its "
                                "open tasks over") % values)

    # --- users -------------------------------------------------------------------------------------

    def _move_users(self):
        """Users of a province or agency that has ended by today move to what carries it on."""
        users = User.objects.select_related("province", "agency")
        moved = Q(province__active_until__lt=self.today, province__successor__isnull=False) | Q(
            agency__active_until__lt=self.today, agency__successor__isnull=False
        )
        for user in users.filter(moved).order_by("username"):
            self._move(user)

    def _move(self, user):
        province = user.province.in_office_on(self.today) if user.province_id else None
        agency = user.agency.in_office_on(self.today) if user.agency_id else None
        if (province, agency) == (user.province, user.agency):
            return
        before = f"{user.province} / {user.agency or '—'}"
        after = f"{province} / {agency or '—'}"
        user.province, user.agency = province, agency
        user.save(update_fields=["province", "agency"])
        self.moves.append(_("User %(user)s: %(before)s → %(after)s")
                          % {"user": user.username, "before": before, "after": after})


def _date(day):
    return date_format(day, "SHORT_DATE_FORMAT")
