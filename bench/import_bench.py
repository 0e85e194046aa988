"""Import a generated 20,000-task appendix: parse, preview and commit rows/s, the commit's query count,
and a plain row-by-row django-import-export import of the same rows for comparison.

Target: commit >= 5,000 tasks/s, a query count that does not depend on the number of rows, and at
least 10x the plain import.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py [--tasks 20000] [--plain-rows N]
    scripts/with-services.sh .venv/bin/python bench/import_bench.py

Runs on a throwaway database (SQLite in memory unless DATABASE_URL is set: then a test database is
created beside it and dropped afterwards).
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")  # a benchmark runs on the demo settings (DEBUG is off unless set)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REFERENCE_DATE = datetime.date(2024, 4, 8)
LEADS = ["Sở Nội vụ", "Sở TT&TT", "UBND cấp huyện", "Sở Tài chính", "Văn phòng UBND tỉnh", "Công an tỉnh",
         "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo"]
COORDINATORS = ["Sở Tư pháp", "Các sở, ban, ngành Tỉnh", "UBND các huyện, thị xã, thành phố", "Sở Y tế",
                "Văn phòng Chính phủ"]
DEADLINES = ["Năm 2024", "Quý III/2024", "Hằng quý", "Thường xuyên", "Tháng 12/2025", "Quý II năm 2025",
             "Theo lộ trình của Bộ", "trước ngày 15/5/2024"]
HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm",
          "Ghi chú"]
TASKS_PER_SECTION = 100


def roman(number):
    digits = []
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits)


def appendix_rows(count, title_suffix=""):
    """Title rows, the header, then Roman sections of 100 tasks each (sections up to CCC)."""
    rows = [["PHỤ LỤC"], ["(Kèm theo Kế hoạch số 1/KH-UBND ngày 08/4/2024 của UBND tỉnh)"], [], HEADER]
    for n in range(count):
        if n % TASKS_PER_SECTION == 0:
            rows.append([roman(n // TASKS_PER_SECTION + 1), f"NHÓM NHIỆM VỤ {n // TASKS_PER_SECTION + 1}"])
        coordinators = f"{COORDINATORS[n % 5]}; {LEADS[(n + 3) % 8]}"
        title = f"Nhiệm vụ số {n + 1} về chuyển đổi số{title_suffix}"
        note = "Ưu tiên" if n % 10 == 0 else ""
        rows.append([str(n % TASKS_PER_SECTION + 1), title, LEADS[n % 8], coordinators, DEADLINES[n % 8],
                     "Báo cáo", note])
    return rows


def xlsx(rows):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class QueryCounter:
    """Counts the SQL statements sent (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(function, *args, **kwargs):
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = function(*args, **kwargs)
    return result, time.perf_counter() - started, counter.count


def line(step, rows, seconds, queries=None):
    shown = "-" if queries is None else str(queries)
    print(f"{step:<46} {rows:>7} {seconds:>9.2f} {rows / seconds:>10.0f} {shown:>9}")


def bench(args):
    from plans.appendix.parsing import find_task_sheet, parse_appendix
    from plans.appendix.preview import build_preview
    from plans.appendix.reading import read_sheets
    from plans.demo import _load_province
    from plans.import_commit import commit_import
    from plans.importing import agency_matcher, build_import_preview
    from tasks.deadlines import parse_deadline

    province = _load_province("dong-thap", "Đồng Tháp")
    limits = {"max_rows": args.tasks * 2, "max_bytes": 50 * 1024 * 1024}
    data = xlsx(appendix_rows(args.tasks))
    print(f"{args.tasks} tasks, {len(data) / 1024 / 1024:.1f} MB of .xlsx, {connection.vendor}\n")
    print(f"{'step':<46} {'rows':>7} {'seconds':>9} {'rows/s':>10} {'queries':>9}")

    sheet, seconds, _queries = timed(lambda: find_task_sheet(read_sheets(data, "bench.xlsx", **limits)))
    line("read the .xlsx", args.tasks, seconds)
    parsed, seconds, _queries = timed(parse_appendix, sheet)
    line("parse (header, sections, codes)", args.tasks, seconds)
    _preview, seconds, queries = timed(
        build_preview, parsed, agency_matcher(province), REFERENCE_DATE, parse_deadline
    )
    line("preview (agencies resolved, deadlines read)", args.tasks, seconds, queries)

    # The generated file has more rows than the default limit (20,000 tasks plus section rows).
    with override_settings(APPENDIX_MAX_ROWS=limits["max_rows"], APPENDIX_MAX_BYTES=limits["max_bytes"]):
        preview, seconds, queries = timed(build_import_preview, province, data, "bench.xlsx", REFERENCE_DATE)
        line("whole preview (read + parse + preview)", args.tasks, seconds, queries)
        smaller = xlsx(appendix_rows(args.tasks // 10))
        small = build_import_preview(province, smaller, "a.xlsx", REFERENCE_DATE)
        corrected = xlsx(appendix_rows(args.tasks, " (sửa)"))
        changed = build_import_preview(province, corrected, "b.xlsx", REFERENCE_DATE)

    fields = {"number": "", "title": "Bench", "reference_date": REFERENCE_DATE, "issuer": "UBND tỉnh"}
    _result, seconds, small_queries = timed(commit_import, province, small, new_plan=fields)
    line("commit into a new plan (1/10 of the rows)", args.tasks // 10, seconds, small_queries)
    (plan, _result), commit_seconds, queries = timed(commit_import, province, preview, new_plan=fields)
    line("commit into a new plan", args.tasks, commit_seconds, queries)
    _result, seconds, same_queries = timed(commit_import, province, preview, plan=plan)
    line("re-import of the same file (nothing changes)", args.tasks, seconds, same_queries)
    _result, seconds, changed_queries = timed(commit_import, province, changed, plan=plan)
    line("re-import, every title corrected", args.tasks, seconds, changed_queries)

    plain_seconds, plain_rows, plain_queries = plain_import(province, preview, args.plain_rows)
    line("plain django-import-export, row by row", plain_rows, plain_seconds, plain_queries)
    speedup = (args.tasks / commit_seconds) / (plain_rows / plain_seconds)
    print(f"\ncommit vs plain import: {speedup:.0f}x faster; commit query count {small_queries} for "
          f"{args.tasks // 10} rows, {queries} for {args.tasks} rows")


def plain_import(province, preview, limit):
    """The same rows through TaskResource (django-import-export), one row at a time as its import does:
    a lookup and a save (which reads the deadline and plans the occurrences) per row."""
    import tablib

    from plans.models import Plan
    from tasks.resources import TaskResource

    plan = Plan.objects.create(province=province, title="Plain", reference_date=REFERENCE_DATE, issuer="UBND")
    headers = ["plan", "code", "title", "deliverable", "deadline_text", "notes"]
    dataset = tablib.Dataset(headers=headers)
    for task in preview["tasks"][:limit]:
        dataset.append([plan.pk, task["code"], task["title"], task["deliverable"], task["deadline"]["text"],
                        task["notes"]])
    resource = TaskResource()
    result, seconds, queries = timed(resource.import_data, dataset, dry_run=False, use_transactions=True)
    assert not result.has_errors() and plan.tasks.count() == len(dataset), "plain import failed"
    return seconds, len(dataset), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--plain-rows", type=int, default=None,
                        help="rows for the plain import (default: all of them)")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        bench(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
