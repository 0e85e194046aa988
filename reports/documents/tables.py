"""A summary's tables as spreadsheets: .xlsx with formatted sheets, .csv of the raw rows."""

import io

import xlsxwriter

from config.spreadsheets import csv_chunks, safe_rows
from reports import targets as target_tables
from reports.documents.content import agency_table, category_labels, overdue_table, percent, short_date

TASK_HEADERS = ["Kế hoạch", "Nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Hạn", "Tình trạng",
                "Số ngày quá hạn"]


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
    return TASK_HEADERS, list(task_lines(summary.get("tasks", [])))


def task_lines(tasks):
    """The rows of the task sheet (and the CSV) for rows of ``reports.summary.task_rows``, as they
    come."""
    labels = category_labels()
    return ([r["plan"], r["task"], r["title"], r["agency"], r["deadline"], short_date(r["due"]),
             labels[r["category"]], r["days_overdue"] or ""] for r in tasks)


def render_xlsx(summary):
    """The workbook of :func:`write_xlsx` as bytes."""
    buffer = io.BytesIO()
    write_xlsx(summary, buffer)
    return buffer.getvalue()


def write_xlsx(summary, output):
    """Sheets: totals, per agency, overdue tasks, every task, the targets (when the plans have any);
    each with a frozen, filtered header. Written into ``output`` (a binary file) row by row:
    XlsxWriter's constant-memory mode keeps no row of a sheet once it is written."""
    # Cells are made safe by safe_rows; XlsxWriter must not turn text back into formulas or links.
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    header = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "bg_color": "#DDEBF7", "pattern": 1})
    body = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    sheets = [("Tổng hợp", totals_table(summary)), ("Theo đơn vị", agency_table(summary)),
              (category_labels()["overdue"], overdue_table(summary))]
    if "tasks" in summary:
        sheets.append(("Nhiệm vụ", task_table(summary)))
    if targets := target_tables.table(summary):
        sheets.append(("Chỉ tiêu", targets))
    for title, (headers, rows) in sheets:
        _sheet(book.add_worksheet(title), headers, safe_rows(rows), header, body)
    book.close()


def _sheet(sheet, headers, rows, header, body):
    """``rows`` already safe (config.spreadsheets): a title or an agency's name could otherwise be
    read as a formula."""
    for index, name in enumerate(headers):
        longest = max([len(str(name)), *(len(str(row[index])) for row in rows)])
        sheet.set_column(index, index, min(max(8, longest + 2), 60))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    sheet.write_row(0, 0, headers, header)
    for number, row in enumerate(rows, 1):
        sheet.write_row(number, 0, ["" if value is None else value for value in row], body)


def render_csv(summary):
    """Every task of the summary with its category, as UTF-8 CSV with a BOM (Excel reads the
    accents); cells safe to open (see config.spreadsheets)."""
    return b"".join(csv_lines(summary.get("tasks", [])))


def csv_lines(tasks):
    """The CSV of :func:`render_csv` as chunks of bytes, from rows of ``reports.summary.task_rows``
    as they come: a download of every task of a province streams."""
    return csv_chunks(TASK_HEADERS, task_lines(tasks))
