"""The words of a progress report, laid out as Decree 30/2020/NĐ-CP wants an administrative
document, as plain JSON-ready data every renderer (docx, pdf, html) reads.

The document is an official Vietnamese text whatever the interface language: its fixed wording
(national title, section headings) is Vietnamese here, not a translation of the interface.
"""

import datetime
import re

from django.utils import translation

from reports import targets as target_tables
from tasks.models import TaskStatus
from tasks.states import CATEGORY_LABELS as STATE_CATEGORY_LABELS

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _vietnamese(label):
    with translation.override("vi"):
        return str(label)


def category_labels():
    """The summary's six categories as the portal names them (``tasks.states.CATEGORY_LABELS``, the
    one source of the pages, filters and charts too), in Vietnamese whatever the interface's language."""
    return {key: _vietnamese(label) for key, label in STATE_CATEGORY_LABELS.items()}


def awaiting_label():
    """"Chờ xác nhận": the workflow status of work reported complete (``TaskStatus``), in Vietnamese."""
    return _vietnamese(TaskStatus.AWAITING_ACCEPTANCE.label)


def agency_headers():
    return ["STT", "Đơn vị chủ trì", "Số nhiệm vụ chủ trì", *category_labels().values(),
            awaiting_label(), "Tỷ lệ hoàn thành đúng hạn (%)", "Tỷ lệ hoàn thành (%)"]

OVERDUE_HEADERS = ["STT", "Kế hoạch", "Nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Hạn", "Số ngày quá hạn"]


def vietnamese_date(day):
    """"ngày 05 tháng 02 năm 2024": days under 10 and months 1 and 2 take a leading zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def symbol(agency_name, aliases=()):
    """The agency's initials for the document number ("Sở Khoa học và Công nghệ" -> "SKHCN"),
    or an alias written that way already."""
    for alias in aliases:
        if re.fullmatch(r"[A-ZĐ]{2,}", alias):
            return alias
    words = [w for w in re.split(r"[\s,\-–&]+", agency_name) if w and w.lower() != "và"]
    return "".join(w[0].upper() for w in words)


def percent(value):
    return "—" if value is None else f"{value:g}".replace(".", ",")


def document(summary, *, kind, issuer, parent, addressee, province, number, report_date,
             results="", difficulties="", proposals="", signer="", signer_position=""):
    """The document of a report: ``kind`` "agency" (an agency to the recipient department) or
    "consolidated" (the recipient department to the provincial People's Committee)."""
    period = summary["period"]
    scope = summary["scope"]
    if scope["plan"]:
        plan = f"Kế hoạch số {scope['plan']}"
    elif scope["plan_title"]:  # a plan published without a number
        plan = f"Kế hoạch «{scope['plan_title']}»"
    else:
        plan = f"các kế hoạch của tỉnh {province}"
    excerpt = f"Kết quả thực hiện {plan} – {period['label']}"
    totals = summary["totals"]
    sections = [
        ("I. KẾT QUẢ THỰC HIỆN", [_overview(summary, kind), *_comparisons(summary),
                                  *target_tables.overview_lines(summary), *_lines(results)]),
        ("II. NHIỆM VỤ ĐÃ HOÀN THÀNH TRONG KỲ", _completed(summary["completed"])),
        ("III. NHIỆM VỤ QUÁ HẠN", _overdue(summary["overdue"], totals)),
        ("IV. KHÓ KHĂN, VƯỚNG MẮC", _feedback(difficulties, summary, "difficulties", kind)),
        ("V. ĐỀ XUẤT, KIẾN NGHỊ", _feedback(proposals, summary, "proposals", kind)),
    ]
    doc = {
        "parent": parent.upper(),
        "issuer": issuer.upper(),
        "number": f"Số: {number}" if number else f"Số:       /BC-{symbol(issuer)}",
        "place_date": f"{province}, {vietnamese_date(report_date)}",
        "title": "BÁO CÁO",
        "excerpt": excerpt,
        "intro": f"{issuer} báo cáo {excerpt[0].lower()}{excerpt[1:]} (số liệu tính đến ngày "
                 f"{short_date(period.get('as_of') or period.get('cutoff'))}) như sau:",
        "sections": [{"heading": h, "paragraphs": p} for h, p in sections],
        "appendix": _appendix(summary),
        "recipients": [f"- {addressee};", "- Lưu: VT."] if addressee else ["- Lưu: VT."],
        "signer_position": (signer_position or "THỦ TRƯỞNG CƠ QUAN").upper(),
        "signer": signer,
    }
    if targets := target_tables.appendix(summary):  # only when the plans have targets
        doc["appendix"]["title"] = doc["appendix"]["title"].replace("PHỤ LỤC\n", "PHỤ LỤC I\n", 1)
        doc["targets"] = targets
    return doc


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _feedback(text, summary, key, kind):
    """The author's own text, then (in a consolidated report) what each agency's focal point wrote."""
    lines = _lines(text)
    if kind == "consolidated":
        lines += [f"- {row['agency']} ({row['task']}, {row['plan']}): {row[key]}"
                  for row in summary.get("feedback", []) if row[key]]
    return lines or ["Không có."]


def _overview(summary, kind):
    totals = summary["totals"]
    who = "do đơn vị chủ trì" if kind == "agency" else "được giao"
    parts = "; ".join(f"{label.lower()}: {totals[key]}" for key, label in category_labels().items())
    rate = totals["completion_rate"]
    text = (f"Tổng số nhiệm vụ {who}: {totals['total']}, trong đó {parts}. "
            f"Số nhiệm vụ báo cáo hoàn thành đang chờ xác nhận: {totals.get('awaiting_acceptance', 0)}. "
            f"Số nhiệm vụ đã đến hạn: {totals['come_due']}")
    if rate is None:
        return text + "."
    return text + (f", tỷ lệ hoàn thành đúng hạn {percent(totals.get('on_time_rate'))}%, "
                   f"tỷ lệ hoàn thành {percent(rate)}%.")


def _comparisons(summary):
    lines, seen = [], set()
    for key, name in (("previous", "kỳ trước"), ("year_before", "cùng kỳ năm trước")):
        if key not in summary or summary[key]["period"]["code"] in seen:
            continue  # for a year, the previous period is the same period a year earlier
        then = summary[key]
        seen.add(then["period"]["code"])
        totals = then["totals"]
        if not totals["total"]:
            lines.append(f"So với {name} ({then['period']['label']}): chưa có nhiệm vụ.")
            continue
        lines.append(
            f"So với {name} ({then['period']['label']}): tổng số {totals['total']} nhiệm vụ, hoàn thành "
            f"{totals['done_on_time'] + totals['done_late']}, quá hạn {totals['overdue']}, tỷ lệ hoàn "
            f"thành {percent(totals['completion_rate'])}%."
        )
    return lines


def _completed(rows):
    if not rows:
        return ["Không có nhiệm vụ hoàn thành trong kỳ."]
    lines = []
    for row in rows:
        timing = "đúng hạn" if row["on_time"] else "quá hạn"
        line = (f"- {row['task']} ({row['plan']}): {row['title']} – {row['agency']}; "
                f"hoàn thành {timing} ngày {short_date(row['completed_on'])}")
        evidence = "; ".join(e["reference"] for e in row.get("evidence", []) if e["reference"])
        lines.append(line + (f"; sản phẩm: {evidence}." if evidence else "."))
    return lines


def _overdue(rows, totals):
    if not rows:
        return ["Không có nhiệm vụ quá hạn."]
    bands = totals["bands"]
    head = (f"Có {len(rows)} nhiệm vụ quá hạn, trong đó quá hạn trên 120 ngày: {bands['over_120']}, "
            f"trên 60 ngày: {bands['over_60']}, trên 30 ngày: {bands['over_30']}.")
    return [head, *(f"- {r['task']} ({r['plan']}): {r['title']} – {r['agency']}; "
                    f"quá hạn {r['days_overdue']} ngày." for r in rows)]


def agency_table(summary):
    """The per-agency table: headers and rows (also the xlsx and csv sheet)."""
    rows = [
        [index, row["agency"], row["lead"], *(row[key] for key in STATE_CATEGORY_LABELS),
         row.get("awaiting_acceptance", 0), percent(row.get("on_time_rate")), percent(row["completion_rate"])]
        for index, row in enumerate(summary["agencies"], 1)
    ]
    totals = summary["totals"]
    rows.append(["", "Tổng cộng", totals["total"], *(totals[key] for key in STATE_CATEGORY_LABELS),
                 totals.get("awaiting_acceptance", 0), percent(totals.get("on_time_rate")),
                 percent(totals["completion_rate"])])
    return agency_headers(), rows


def overdue_table(summary):
    rows = [[i, r["plan"], r["task"], r["title"], r["agency"], short_date(r["due"]), r["days_overdue"]]
            for i, r in enumerate(summary["overdue"], 1)]
    return OVERDUE_HEADERS, rows


def _appendix(summary):
    headers, rows = agency_table(summary)
    return {"title": f"PHỤ LỤC\nTổng hợp tình hình thực hiện nhiệm vụ theo đơn vị chủ trì – "
                     f"{summary['period']['label']}",
            "note": "Nhiệm vụ giao cho một nhóm đơn vị (ví dụ UBND cấp huyện) được tính ở dòng của nhóm; "
                    "nhiệm vụ có nhiều đơn vị chủ trì được tính ở mỗi đơn vị.",
            "headers": headers, "rows": [[str(cell) for cell in row] for row in rows]}
