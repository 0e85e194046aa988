"""A plan's targets (chỉ tiêu) in the reports and dashboards: the targets table of the period report
documents and of the ``build_report`` summary, the leader's overview counts, and the agencies' figures
the ranking can include.

Where a target stands is never judged here: every figure comes from one call to
:func:`tasks.targets.standing.standings` (two queries whatever the number of targets) and is counted
with :func:`~tasks.targets.standing.count_states`.

This module imports neither :mod:`reports.summary` nor :mod:`reports.dashboards`: they import it.
"""


from agencies.models import Agency, bound_pairs
from plans.models import PlanStatus
from tasks.states import rate
from tasks.targets.judging import AT_RISK, MET, NO_TREND, NOT_MET, NOT_REPORTED, ON_TRACK
from tasks.targets.models import Target, describe, format_number
from tasks.targets.standing import count_states, standings, standings_on

# The documents are official Vietnamese texts whatever the interface language (see
# reports.documents.content): their wording is written here, not translated.
DOCUMENT_STATES = {MET: "Đạt", NOT_MET: "Chưa đạt", NOT_REPORTED: "Chưa báo cáo"}
DOCUMENT_TRENDS = {ON_TRACK: "Đúng hướng", AT_RISK: "Có nguy cơ không đạt", NO_TREND: "—"}
HEADERS = ["STT", "Mã", "Chỉ tiêu", "Mục tiêu", "Cấp", "Thời hạn", "Đơn vị báo cáo", "Giá trị báo cáo",
           "Tình trạng", "Xu hướng"]
PLAN_HEADER = "Kế hoạch"  # a province's report: codes repeat from plan to plan
# Column widths in the landscape appendix (cm, 25.2 between the margins): the target's name the widest.
WIDTHS = [1.2, 1.1, 6.7, 2.4, 1.9, 2.2, 3.0, 2.4, 2.0, 2.3]
PLAN_WIDTH = 2.2  # taken from the name's column
ASKED = ("1", "true", "on", "yes")


def of_plans(plans):
    """The targets of ``plans`` (a queryset), in their plans' order."""
    return Target.objects.of_plans(plans).order_by("plan__number", "plan", "position", "pk")


def reported_by(targets, agency, on):
    """The ``targets`` ``agency`` answers for on ``on``: those it reports, and those of its groups and
    of the agencies merged into it (``Agency.objects.answered_by``, the rule of the tasks)."""
    return targets.filter(reporting_agency__in=Agency.objects.answered_by(agency, on).values("pk"))


# The report documents and the build_report summary ------------------------------------------------


def summary_targets(targets, start, end):
    """The "targets" of a period summary: ``{"counts": count_states(…), "rows": [...]}`` for the values
    accepted for periods ending from ``start`` to ``end`` (the report's period), JSON-ready; None when
    there is no target. One :func:`standings` call."""
    items = standings(targets, start, end)
    if not items:
        return None
    return {"counts": count_states(items), "rows": [_row(item) for item in items]}


def _row(item):
    target = item.target
    return {
        "target_id": target.pk,
        "plan": str(target.plan),
        "code": target.code,
        "group": target.group,
        "name": target.name,
        "promise": describe(target) if target.value is not None else "",
        "unit": target.unit,
        "level": target.level,
        "deadline": target.deadline_text or (target.due.strftime("%d/%m/%Y") if target.due else ""),
        "due": target.due.isoformat() if target.due else None,
        "agency": target.reporting_agency.name if target.reporting_agency else "",
        "value": _number(item.value),
        "reported_for": item.reported_for.isoformat() if item.reported_for else None,
        "state": item.state,
        "trend": item.trend,
        "awaiting": item.awaiting,
    }


def _number(value):
    """A Decimal as a JSON number: 80, 99.5; None stays None."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def figure(value, unit):
    """A reported value with its unit as the documents write it: "85%", "12 doanh nghiệp", "3"."""
    if value is None:
        return "—"
    text = format_number(value)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip() if unit != "số" else text


def table(summary):
    """The targets table of a summary (headers and rows of text), for the .docx, the PDF and the .xlsx;
    None when the summary has no targets. A province's report adds each target's plan."""
    targets = summary.get("targets")
    if not targets:
        return None
    with_plan = not summary["scope"]["plan"]
    rows = []
    for index, row in enumerate(targets["rows"], 1):
        value = figure(row["value"], row["unit"])
        if row["awaiting"]:
            value += " (có số liệu chờ xác nhận)"
        rows.append([str(index), *([row["plan"]] if with_plan else []), row["code"], row["name"],
                     row["promise"], row["level"], row["deadline"], row["agency"], value,
                     DOCUMENT_STATES[row["state"]], DOCUMENT_TRENDS[row["trend"]]])
    headers = [*HEADERS[:1], *([PLAN_HEADER] if with_plan else []), *HEADERS[1:]]
    return headers, rows


def overview_lines(summary):
    """The report's sentence on its targets (section I): none without targets."""
    targets = summary.get("targets")
    if not targets:
        return []
    counts = targets["counts"]
    return [f"Về các chỉ tiêu: tổng số {counts['total']} chỉ tiêu, trong đó đạt: {counts[MET]}; chưa đạt: "
            f"{counts[NOT_MET]}; chưa báo cáo: {counts[NOT_REPORTED]}. Số chỉ tiêu có số liệu đang chờ xác "
            f"nhận: {counts['awaiting']} (chi tiết tại Phụ lục II)."]


def appendix(summary):
    """The document's second appendix, the targets table, or None without targets."""
    built = table(summary)
    if built is None:
        return None
    headers, rows = built
    widths = list(WIDTHS)
    if len(headers) > len(WIDTHS):  # with the plan's column
        widths[2] -= PLAN_WIDTH
        widths.insert(1, PLAN_WIDTH)
    return {"title": f"PHỤ LỤC II\nKết quả thực hiện các chỉ tiêu – {summary['period']['label']}",
            "note": "Giá trị báo cáo là giá trị đã được xác nhận của kỳ gần nhất kết thúc trong kỳ báo cáo; "
                    "xu hướng so sánh các giá trị đã xác nhận với thời hạn của chỉ tiêu.",
            "headers": headers, "rows": rows, "widths": widths}


# The leader's overview ---------------------------------------------------------------------------


def overview(plans, plan_rows, today):
    """Targets met, not met, not reported and awaiting over the active plans among ``plans`` (a
    queryset), as of ``today``, as the plan page judges them (``standings_on``). Each row of
    ``plan_rows`` (``dashboards.plan_rows``) gets "targets", its plan's counts
    (None for a plan with no target, or not active). One :func:`standings` call."""
    items = standings_on(of_plans(plans.filter(status=PlanStatus.ACTIVE)), today)
    by_plan = {}
    for item in items:
        by_plan.setdefault(item.target.plan_id, []).append(item)
    for row in plan_rows:
        row["targets"] = count_states(by_plan[row["plan_pk"]]) if row["plan_pk"] in by_plan else None
    return count_states(items)


# The ranking -------------------------------------------------------------------------------------


def asked(query):
    """Whether the ranking's ``?targets=`` asks for targets: "1" (the checkbox), "true", "on", "yes";
    anything else, malformed included, is no."""
    return (query.get("targets") or "").strip().lower() in ASKED


def agency_figures(targets, start, end, on):
    """``{agency pk: {"targets": n, "targets_met": m}}``: each of ``targets`` counted for every agency
    answering on ``on`` for its reporting agency (:func:`agencies.models.bound_pairs`: the agency,
    a group's members, the successor of an agency merged away), met on the values accepted for
    periods ending from ``start`` to ``end``. A target with no reporting agency counts for nobody.
    Four queries."""
    items = standings(targets, start, end)
    answering = {}
    for assigned, agency in bound_pairs({item.target.reporting_agency_id for item in items}, on):
        answering.setdefault(assigned, set()).add(agency)
    figures = {}
    for item in items:
        for agency in answering.get(item.target.reporting_agency_id, ()):
            counts = figures.setdefault(agency, {"targets": 0, "targets_met": 0})
            counts["targets"] += 1
            counts["targets_met"] += item.state == MET
    return figures


def with_agency_figures(agency_rows, figures):
    """The rows of ``summary.agency_rows`` with "targets", "targets_met" and "score" (see
    :func:`score`), and a row of its own, with no task, for each agency answering for targets only
    (one query for their names)."""
    rows = []
    for row in agency_rows:
        rows.append({**row, **figures.get(row["agency_id"], {"targets": 0, "targets_met": 0})})
    missing = set(figures) - {row["agency_id"] for row in agency_rows}
    for agency in Agency.objects.filter(pk__in=missing).only("pk", "name").order_by("name"):
        rows.append({**_no_task(agency), **figures[agency.pk]})
    for row in rows:
        row["score"] = score(row)
    return rows


def _no_task(agency):
    row = {"agency": agency.name, "agency_id": agency.pk, "lead": 0, "awaiting_acceptance": 0,
           "come_due": 0, "come_due_done": 0, "come_due_on_time": 0, "completion_rate": None,
           "on_time_rate": None}
    for key in ("done_on_time", "done_late", "in_progress", "overdue", "not_started", "ongoing"):
        row[key] = 0
    return row


def score(row):
    """The on-time rate with targets: tasks completed on time and targets met over tasks come due and
    targets (a target counts as one piece of work come due, met as work done on time); None over
    nothing."""
    return rate(row["come_due_on_time"] + row["targets_met"], row["come_due"] + row["targets"])


def rated(row):
    """A row is ranked with targets when it has tasks come due or targets."""
    return bool(row["come_due"] or row["targets"])


def _highest(value):
    return -1 if value is None else value


def ranking_key(row):
    """What ranks an agency with targets, best lowest: the :func:`score`, then as without targets
    (on-time rate, completion rate, fewer overdue), then more work (tasks come due and targets)."""
    return (-_highest(row["score"]), -_highest(row["on_time_rate"]), -_highest(row["completion_rate"]),
            row["overdue"], -(row["come_due"] + row["targets"]))
