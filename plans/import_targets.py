"""Importing a plan's targets and its tasks' product indicators, the part of ``commit_import`` that
saves what ``plans.importing`` read into the preview's "targets" and each task's "indicators"."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from agencies.models import Agency
from tasks.models import Indicator, Target, TargetReport
from tasks.targets.models import TargetOrigin, describe


def _decimal(value):
    return None if value is None else Decimal(str(value))


def shown_figure(item):
    """A preview's target or indicator figure as the pages show it: "≥ 80%", "3–5 dự án", with what an
    indicator counts."""
    if item.get("value") is None:
        return "—"
    promise = SimpleNamespace(
        comparator=item["comparator"], value=_decimal(item["value"]),
        value_max=_decimal(item.get("value_max")), unit=item["unit"],
    )
    subject = item.get("subject", "")
    return f"{describe(promise)} — {subject}" if subject else describe(promise)


def save_indicators(preview_tasks, task_ids, new_codes, changed_codes):
    """Give the tasks coded ``new_codes`` the indicators read from their deliverable, and replace those
    of the tasks coded ``changed_codes`` (whose deliverable the file changed); indicators the admin
    corrected on a deliverable the file left as it was stay. ``task_ids``: task code → pk. Two
    queries at most."""
    changed = [task_ids[code] for code in changed_codes if code in task_ids]
    if changed:
        Indicator.objects.filter(task_id__in=changed).delete()
    renewed = {code: task_ids[code] for code in [*new_codes, *changed_codes] if code in task_ids}
    Indicator.objects.bulk_create(
        Indicator(
            task_id=renewed[task["code"]], position=position, comparator=item["comparator"],
            value=_decimal(item["value"]), value_max=_decimal(item.get("value_max")),
            unit=item["unit"][:60], subject=item["subject"][:500],
        )
        for task in preview_tasks if task["code"] in renewed
        for position, item in enumerate(task.get("indicators") or ())
    )


def save_targets(plan, province, targets, confirmed=None):
    """Save the preview's ``targets`` into ``plan``, by code: those read from a table, and of those
    proposed from the plan's objectives the ``confirmed`` codes. A target the file no longer has goes
    unless values were reported for it or it was entered by hand. Returns how many were saved."""
    confirmed = set(confirmed or ())
    wanted = [t for t in targets if not t.get("proposed") or t["code"] in confirmed]
    names = {t["agency"] for t in wanted if t.get("agency")}
    agency_ids = dict(Agency.objects.filter(province=province, name__in=names).values_list("name", "pk"))
    rows = [_target(plan, target, position, agency_ids) for position, target in enumerate(wanted)]
    Target.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["plan", "code"],
        update_fields=[f for f in TARGET_FIELDS if f not in ("plan", "code")],
    )
    reported = TargetReport.objects.filter(target__plan=plan).values("target_id")
    plan.targets.exclude(code__in=[row.code for row in rows]).exclude(origin=TargetOrigin.MANUAL).exclude(
        pk__in=reported
    ).delete()
    return len(rows)


TARGET_FIELDS = (
    "plan", "code", "group", "name", "comparator", "value", "value_max", "unit", "level", "deadline_text",
    "due", "reporting_agency", "baseline", "baseline_text", "notes", "origin", "position",
)


def _target(plan, item, position, agency_ids):
    due = item["deadline"].get("due")
    return Target(
        plan=plan, code=item["code"][:20], group=item["group"][:300], name=item["name"],
        comparator=item["comparator"] or ">=", value=_decimal(item["value"]),
        value_max=_decimal(item.get("value_max")), unit=(item["unit"] or "số")[:60],
        level=item["level"][:120],
        deadline_text=item["deadline"]["text"][:255],
        due=datetime.date.fromisoformat(due) if due else None,
        reporting_agency_id=agency_ids.get(item.get("agency")),
        baseline=_decimal(item.get("baseline")), baseline_text=(item.get("baseline_text") or "")[:255],
        notes=item.get("notes") or "",
        origin=TargetOrigin.PROPOSED if item.get("proposed") else TargetOrigin.IMPORTED,
        position=position,
    )
