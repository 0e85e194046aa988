"""A summary's tables as spreadsheets: .xlsx with formatted sheets, .csv of the raw rows."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from config.spreadsheets import safe_rows
from reports import targets as target_tables
from reports.documents.content import agency_table, category_labels, overdue_table, percent, short_date

TASK_HEADERS = ["Kế hoạch", "Nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Hạn", "Tình trạng",
                "Số ngày quá hạn"]
_THIN = Side(style="thin")
_BOXED = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
# Named styles: a cell takes one by name, without openpyxl comparing its font, border and alignment
# with every style of the book (most of the time of a sheet of 20,000 rows).
_HEADER, _BODY = "report_header", "report_cell"


def totals_table(summary):
    """The categories for the period, the previous period and the same period a year earlier, each
    period once: for a year, the previous period is the year before (``build_summary`` gives it as
    both), and two "Năm 2024" columns would read as two different figures."""
    columns, codes = [], set()
    for column in (summary, summary.get("previous"), summary.get("year_before")):
        if column and column["period"]["code"] not in codes:
            columns.append(column)
            codes.add(column["period"]["code"])
    headers = ["Chỉ tiêu", *(c["period"]["label"] for c in columns)]
    labels = {"total": "Tổng số nhiệm vụ", **category_labels(), "come_due": "Đã đến hạn"}
    rows = [[label, *(c["totals"][key] for c in columns)] for key, label in labels.items()]
    rows.append(["Tỷ lệ hoàn thành (%)", *(percent(c["totals"]["completion_rate"]) for c in columns)])
    return headers, rows


def task_table(summary):
    labels = category_labels()
    rows = [[r["plan"], r["task"], r["title"], r["agency"], r["deadline"], short_date(r["due"]),
             labels[r["category"]], r["days_overdue"] or ""] for r in summary.get("tasks", [])]
    return TASK_HEADERS, rows


def render_xlsx(summary):
    """Sheets: totals, per agency, overdue tasks, every task, the targets (when the plans have any);
    each with a frozen, filtered header."""
    book = Workbook()
    book.remove(book.active)
    # a named style is bound to its book: made for each
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    book.add_named_style(NamedStyle(_HEADER, font=Font(bold=True), border=_BOXED, alignment=centred,
                                    fill=PatternFill("solid", fgColor="DDEBF7")))
    top = Alignment(wrap_text=True, vertical="top")
    book.add_named_style(NamedStyle(_BODY, border=_BOXED, alignment=top))
    sheets = [("Tổng hợp", totals_table(summary)), ("Theo đơn vị", agency_table(summary)),
              (category_labels()["overdue"], overdue_table(summary))]
    if "tasks" in summary:
        sheets.append(("Nhiệm vụ", task_table(summary)))
    if targets := target_tables.table(summary):
        sheets.append(("Chỉ tiêu", targets))
    for title, (headers, rows) in sheets:
        _sheet(book.create_sheet(title), headers, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet, headers, rows):
    rows = safe_rows(rows)  # a title or an agency's name could otherwise be written as a formula
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            cell.style = _BODY if cell.row > 1 else _HEADER
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, 1):
        longest = max([len(str(header)), *(len(str(r[index - 1])) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest + 2), 60)


def render_csv(summary):
    """Every task of the summary with its category, as UTF-8 CSV with a BOM (Excel reads the
    accents); cells safe to open (see config.spreadsheets)."""
    headers, rows = task_table(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(safe_rows(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

