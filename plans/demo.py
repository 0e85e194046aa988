"""Demo data: the four provinces, their agency catalogues and the five seed plans with their tasks,
and what the agencies reported on 115/KH-UBND since 2024 (:mod:`plans.demo_history`).

The data files under ``plans/demo_data`` are copies of the project's shared fixtures. Every step is
an upsert keyed by natural keys, so loading twice changes nothing.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from agencies.catalog import read_catalog_csv
from agencies.models import Agency, AgencyAlias, AgencyKind, Province, Role, User
from agencies.restructuring import apply_changes, read_changes
from plans.demo_history import load_history
from plans.demo_targets import load_indicators, load_targets
from plans.models import DEFAULT_REPORTING_DEADLINE, Plan, PlanSection, PlanStatus
from tasks.models import AssignmentRole, Task, TaskAssignment, TaskUpdate

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_PASSWORD = "demo12345"

PROVINCE_NAMES = {
    "dong-thap": "Đồng Tháp",
    "gia-lai": "Gia Lai",
    "quang-nam": "Quảng Nam",
    "da-nang": "Đà Nẵng",
    "dong-nai": "Đồng Nai",
}

# Groups whose members follow from the catalogue's kinds (fixtures README, "Agency catalogs").
GROUP_MEMBER_KINDS = {
    "Các sở, ban, ngành Tỉnh": AgencyKind.DEPARTMENT,
    "Các sở, ban, ngành thành phố": AgencyKind.DEPARTMENT,
    "UBND cấp huyện": AgencyKind.DISTRICT,
    "Các cơ quan báo, đài": AgencyKind.PRESS,
}


# Plans whose admin extended the horizon their title prints: 115/KH-UBND ("đến năm 2025") is still
# followed up in 2026. The others run to the year their title says.
PLAN_END_YEARS = {"dongthap-115-2024": 2026}


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    province: str | None
    agency: str | None
    role: str
    superuser: bool = False


DEMO_USERS = [
    DemoUser("quantri", "Quản trị hệ thống", None, None, Role.PROVINCE_ADMIN, superuser=True),
    DemoUser("dongthap.admin", "Nguyễn Văn An", "dong-thap", "Sở Khoa học và Công nghệ", Role.PROVINCE_ADMIN),
    DemoUser("dongthap.noivu", "Trần Thị Bình", "dong-thap", "Sở Nội vụ", Role.FOCAL_POINT),
    DemoUser("dongthap.vpubnd", "Lê Minh Châu", "dong-thap", "Văn phòng UBND tỉnh", Role.FOCAL_POINT),
    DemoUser("dongthap.khcn", "Huỳnh Thanh Tâm", "dong-thap", "Sở Khoa học và Công nghệ", Role.FOCAL_POINT),
    DemoUser("dongthap.lanhdao", "Phạm Quốc Dũng", "dong-thap", "UBND tỉnh", Role.LEADER),
    # Quảng Nam's admin kept her login when the province joined Đà Nẵng on 1 July 2025.
    DemoUser("quangnam.admin", "Võ Thị Hoa", "da-nang", "Sở Khoa học và Công nghệ", Role.PROVINCE_ADMIN),
]


@transaction.atomic
def load_demo():
    """Load (or bring up to date) the whole demo; returns counts of what exists afterwards."""
    provinces = {slug: _load_province(slug, name) for slug, name in PROVINCE_NAMES.items()}
    restructuring = (DEMO_DIR / "agencies" / "restructuring-2025.csv").read_text(encoding="utf-8")
    apply_changes(read_changes(restructuring))
    plans, workbooks = {}, {}
    for entry in json.loads((DEMO_DIR / "plans.json").read_text(encoding="utf-8"))["plans"]:
        plans[entry["key"]] = _load_plan(entry, provinces[entry["province"]])
        if entry["appendix"]:
            workbooks[entry["key"]] = DEMO_DIR / entry["appendix"]
    for demo_user in DEMO_USERS:
        _load_user(demo_user, provinces)
    load_history()
    load_targets(plans, workbooks)
    return {
        "provinces": Province.objects.count(),
        "agencies": Agency.objects.count(),
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "users": User.objects.count(),
    }


def _upsert(model, defaults, **lookup):
    """Like update_or_create, but saves only when a value differs, so a second load changes nothing
    (not even ``updated_at``)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**{**defaults, **lookup}), True
    changed = [field for field, value in defaults.items() if getattr(instance, field) != value]
    if changed:
        for field in changed:
            setattr(instance, field, defaults[field])
        instance.save()
    return instance, False


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _load_province(slug, name):
    province, _created = _upsert(Province, {"name": name}, slug=slug)
    entries = read_catalog_csv(DEMO_DIR / "agencies" / f"{slug}.csv")
    agencies = {}
    for entry in entries:
        agency, _created = _upsert(
            Agency, {"kind": entry.kind, "active_from": entry.active_from}, province=province, name=entry.name
        )
        agencies[entry.name] = agency
        known = set(agency.aliases.values_list("name", flat=True))
        AgencyAlias.objects.bulk_create(
            AgencyAlias(agency=agency, name=alias) for alias in entry.aliases if alias not in known
        )
    for entry in entries:
        parent = agencies.get(entry.parent)
        if agencies[entry.name].parent_id != (parent.pk if parent else None):
            Agency.objects.filter(pk=agencies[entry.name].pk).update(parent=parent)
    for group_name, member_kind in GROUP_MEMBER_KINDS.items():
        if group_name in agencies:
            agencies[group_name].members.set(
                [agency for agency in agencies.values() if agency.kind == member_kind]
            )
    return province


def _load_plan(entry, province):
    agencies = {agency.name: agency for agency in Agency.objects.filter(province=province)}
    signer = entry.get("signer") or {}
    fields = {
        "title": entry["title"],
        "issued_on": _date(entry["issued_on"]),
        "reference_date": _date(entry["deadline_reference_date"]),
        "issuer": entry["issuer"],
        "signer": signer.get("name") or "",
        "signer_position": signer.get("position") or "",
        "legal_basis": "\n".join(entry["legal_basis"]),
        "related_documents": "\n".join(entry.get("related_documents", [])),
        "report_recipient": agencies.get(entry["report_recipient"]),
        "status": PlanStatus.ACTIVE,
        "end_year": PLAN_END_YEARS.get(entry["key"]),
        "reporting_deadline_text": _reporting_cycle(entry),
    }
    if entry["number"]:
        plan, _created = _upsert(Plan, fields, province=province, number=entry["number"])
    else:
        plan, _created = _upsert(Plan, fields, province=province, number="", title=entry["title"])
    if entry["appendix"]:
        golden = DEMO_DIR / Path(entry["appendix"]).with_suffix(".expected.json")
        tasks = json.loads(golden.read_text(encoding="utf-8"))["tasks"]
        load_indicators(plan, tasks, _load_tasks(plan, tasks, agencies))
    return plan


def _reporting_cycle(entry):
    """The plan's own periodic reporting duty if it has one, else the portal's default."""
    for duty in entry.get("reporting", []):
        if duty["deadline"]["kind"] == "recurring":
            return duty["deadline"]["text"]
    return DEFAULT_REPORTING_DEADLINE


def _load_tasks(plan, tasks, agencies):
    """Sections, tasks and agencies of a golden; returns the codes of the tasks it created."""
    sections, created_codes = {}, []
    for position, item in enumerate(tasks):
        if item["section"] and item["section"] not in sections:
            sections[item["section"]], _created = _upsert(
                PlanSection,
                {"title": item["section_title"], "position": len(sections)},
                plan=plan,
                code=item["section"],
            )
        task, created = _upsert(
            Task,
            {
                "section": sections.get(item["section"]),
                "position": position,
                "title": item["title"],
                "deliverable": item["deliverable"],
                "deadline_text": item["deadline"]["text"],
            },
            plan=plan,
            code=item["code"],
        )
        for role, key in [(AssignmentRole.LEAD, "lead"), (AssignmentRole.COORDINATOR, "coordinators")]:
            mentions = item[key]
            for index, mention in enumerate(mentions):
                _upsert(
                    TaskAssignment,
                    {"mention": mention["mention"], "agency": agencies.get(mention["agency"])},
                    task=task,
                    role=role,
                    position=index,
                )
            printed = task.assignments.filter(role=role, handover__isnull=True)
            printed.filter(position__gte=len(mentions)).delete()
        if created:
            created_codes.append(task.code)
            entry = TaskUpdate.objects.create(task=task, kind=TaskUpdate.Kind.IMPORT, note="Dữ liệu mẫu")
            # Imported when the plan came out, so the history reads in order.
            imported = timezone.make_aware(datetime.datetime.combine(plan.reference_date, datetime.time(8)))
            TaskUpdate.objects.filter(pk=entry.pk).update(created_at=imported)
    plan.tasks.sync_occurrences()
    return created_codes


def _load_user(demo_user, provinces):
    province = provinces.get(demo_user.province)
    agency = Agency.objects.get(province=province, name=demo_user.agency) if demo_user.agency else None
    # Vietnamese names put the family name first; get_full_name() joins first_name + last_name.
    family_and_middle, _space, given = demo_user.full_name.rpartition(" ")
    user, created = User.objects.get_or_create(
        username=demo_user.username,
        defaults={
            "province": province,
            "agency": agency,
            "role": demo_user.role,
            "first_name": family_and_middle,
            "last_name": given,
            "email": f"{demo_user.username}@example.vn",
            "is_superuser": demo_user.superuser,
            "is_staff": demo_user.superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
