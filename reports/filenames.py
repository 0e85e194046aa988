"""The names of exported report files: by plan and period, ASCII only ("bao-cao-115-KH-UBND-2025",
"bao-cao-dong-thap-2025-quy-3"), so that every browser, mail client and file system keeps them as
they are, and a folder of them sorts by plan, then year."""

import re
import unicodedata

from reports.periods import Period

_MAX_PART = 60  # an agency's full name can be long; the file name stays readable


def ascii_slug(text, lower=True):
    """``text`` without accents ("đ" as "d"), every run of other characters one hyphen:
    "115/KH-UBND" -> "115-KH-UBND" (``lower`` False keeps the document symbol's capitals)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:_MAX_PART].strip("-")
    return text.lower() if lower else text


def period_part(period: Period):
    """The period in a file name, year first and in words, never its code: "2025", "2025-quy-3",
    "2025-6-thang-dau", "2025-01-01-den-2025-06-30"."""
    year = period.start.year
    if period.months == 12:
        return str(year)
    if period.months == 6:
        return f"{year}-6-thang-{'dau' if period.end.month == 6 else 'cuoi'}"
    if period.months == 3:
        return f"{year}-quy-{period.end.month // 3}"
    return f"{period.start.isoformat()}-den-{period.end.isoformat()}"


def _plan_part(plan):
    return ascii_slug(plan.number, lower=False) or f"ke-hoach-{plan.pk}"


def plan_report_name(plan, period):
    """"bao-cao-115-KH-UBND-2025": the progress report of one plan."""
    return f"bao-cao-{_plan_part(plan)}-{period_part(period)}"


def province_report_name(province, period):
    """"bao-cao-dong-thap-2025": the progress report of a province's plans."""
    return f"bao-cao-{ascii_slug(province.slug) or province.pk}-{period_part(period)}"


def document_name(report):
    """"bao-cao-115-KH-UBND-so-noi-vu-2025-quy-3": an agency's (or the consolidated) report document."""
    agency = ascii_slug(report.agency.name) or f"don-vi-{report.agency_id}"
    return f"bao-cao-{_plan_part(report.plan)}-{agency}-{period_part(report.period_obj)}"
