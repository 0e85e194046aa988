"""The import preview: parsed tasks with agencies resolved and deadlines read, as plain JSON data.

``parse_deadline`` is passed in (the deadline rules live in ``tasks.deadlines``) so this module stays
free of that dependency and tests can substitute it.
"""

import datetime
import re

from agencies.names import split_mentions
from plans.appendix.parsing import ERROR, WARNING, Issue
from plans.appendix.targets import indicators_contract, json_number, targets_contract
from plans.measures import read_measures


def _mentions(cell, matcher, row, issues, role):
    """Resolve each mention of an agency cell; note the uncertain ones as issues."""
    resolved = []
    for mention in split_mentions(cell):
        resolution = matcher.resolve(mention)
        suggestions = list(resolution.suggestions)
        resolved.append({"mention": mention, "agency": resolution.agency_name, "suggestions": suggestions})
        if resolution.agency_name is None:
            hint = f" Gợi ý: {', '.join(resolution.suggestions)}." if resolution.suggestions else ""
            issues.append(Issue(row, WARNING, f"Chưa xác định được {role} «{mention}» trong danh mục.{hint}"))
        elif resolution.method == "fuzzy":
            issues.append(
                Issue(row, WARNING, f"Đã hiểu {role} «{mention}» là «{resolution.agency_name}» (gần đúng).")
            )
    return resolved


# A year as a plan prints one, not inside a longer number ("2026" in "Quý IV/2026, 2027").
_RE_PRINTED_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_PLAUSIBLE_YEARS = range(1990, 2101)
_ONE_OFF = ("date", "period")  # kinds whose due date closes the task


def _printed_years(text):
    return [int(year) for year in _RE_PRINTED_YEAR.findall(text or "") if int(year) in _PLAUSIBLE_YEARS]


def _deadline(task, reference_date, parse_deadline, issues):
    """The deadline of ``task`` as the preview shows it; warns (on the task's row) when the cell
    cannot be read, when a one-off due date falls before the plan's reference date, and when the
    cell prints a year later than the one read ("Quý IV/2026, 2027" read as 2026 would lose 2027)."""
    source = task.deadline_value if isinstance(task.deadline_value, datetime.date) else task.deadline_text
    parsed = parse_deadline(source, reference_date)
    due = parsed.due
    text = task.deadline_text
    if text and parsed.kind == "unknown" and due is None:
        issues.append(Issue(task.row, WARNING, f"Không đọc được thời hạn «{text}»."))
    if isinstance(reference_date, datetime.datetime):
        reference_date = reference_date.date()
    if due is not None and str(parsed.kind) in _ONE_OFF:
        if isinstance(reference_date, datetime.date) and due < reference_date:
            issues.append(Issue(
                task.row, WARNING,
                f"Thời hạn «{text}» được đọc là ngày {due:%d/%m/%Y}, trước ngày của kế hoạch "
                f"({reference_date:%d/%m/%Y}); kiểm tra lại thời hạn hoặc ngày kế hoạch.",
            ))
        later = [year for year in _printed_years(text) if year > due.year]
        if later:
            issues.append(Issue(
                task.row, WARNING,
                f"Thời hạn «{text}» có ghi năm {max(later)} nhưng được đọc là ngày {due:%d/%m/%Y}; "
                "kiểm tra lại thời hạn.",
            ))
    return {"text": task.deadline_text, **deadline_json(parsed)}  # a date cell already prints dd/mm/yyyy


def deadline_json(parsed):
    """The keys of a deadline read by ``parse_deadline`` besides its printed text."""
    return {
        "kind": str(parsed.kind),  # plain str even if the parser uses an enum
        "due": parsed.due.isoformat() if parsed.due else None,
        "every": str(parsed.every) if parsed.every else None,
    }


def build_targets_preview(targets, matcher, reference_date, parse_deadline, proposed=False):
    """The preview of a plan's targets (``plans.appendix.targets.ParsedTarget``): the contract's
    fields, plus the source ``row``, the reporting agency as printed with the agency it names
    (``agency``, a catalogue name or None), the baseline, the notes and whether the target was only
    ``proposed`` (read from the plan's objectives: the admin confirms each)."""
    contract = targets_contract(targets, lambda text: deadline_json(parse_deadline(text, reference_date)))
    out = []
    for item, target in zip(contract, targets, strict=True):
        mention = target.reporting_agency.strip()
        out.append({
            **item,
            "row": target.row,
            "comparator_text": target.comparator_text,
            "reporting_agency": mention,
            "agency": matcher.resolve(mention).agency_name if mention else None,
            "baseline": json_number(target.baseline),
            "baseline_text": target.baseline_text,
            "notes": target.notes,
            "proposed": proposed,
        })
    return out


def build_preview(parsed, matcher, reference_date, parse_deadline, progress=None):
    """Preview of a ``ParsedAppendix``: one entry per task in file order, plus every issue by row.

    ``matcher`` is an ``agencies.matching.AgencyMatcher``; ``parse_deadline(text_or_date, reference)``
    returns an object with ``.text .kind .due .every``; ``progress(row)``, if given, is called with the
    source row of each task once it is done (long imports show a progress bar).
    """
    issues = list(parsed.issues)
    tasks = []
    for task in parsed.tasks:
        tasks.append(
            {
                "code": task.code,
                "section": task.section,
                "section_title": task.section_title,
                "title": task.title,
                "lead": _mentions(task.lead, matcher, task.row, issues, "đơn vị chủ trì"),
                "coordinators": _mentions(task.coordinators, matcher, task.row, issues, "đơn vị phối hợp"),
                "deliverable": task.deliverable,
                "deadline": _deadline(task, reference_date, parse_deadline, issues),
                "indicators": indicators_contract(read_measures(task.deliverable)),
            }
        )
        if progress:
            progress(task.row)
    order = {ERROR: 0, WARNING: 1}
    issues.sort(key=lambda issue: (issue.row is not None, issue.row or 0, order.get(issue.level, 2)))
    return {
        "tasks": tasks,
        "issues": [{"row": issue.row, "level": issue.level, "message": issue.message} for issue in issues],
    }
