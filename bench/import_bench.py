"""Import a 20,000-task appendix: end to end beside PostgreSQL COPY of the same rows, then parse,
preview and commit rows/s, the commit's query count, and a plain row-by-row django-import-export
import of the same rows for comparison.

End to end (issue 16, target >= 80 % of COPY): the reference benchmark ``import_anchor.py`` (default
``../shared/bench/import_anchor.py``, run as a subprocess) writes its 20,000-row spreadsheet and
times its COPY method; the same file is then imported as the ``import_appendix`` command imports it
(``import_file``: read -> preview -> commit into a new plan, the import recorded with its file and
preview, one transaction) into a province whose catalogue is the anchor's 60 agencies. Rounds
alternate anchor and product so that the load of a shared machine hits both alike; medians are
compared, and each round prints where the import's time went.

Target of the steps: commit >= 5,000 tasks/s, a query count that does not depend on the number of
rows, and at least 10x the plain import.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py [--tasks 20000] [--plain-rows N]
        [--rounds 3] [--anchor PATH] [--only-copy | --no-copy]
    scripts/with-services.sh .venv/bin/python bench/import_bench.py

Runs on a throwaway database (SQLite in memory unless DATABASE_URL is set: then a test database is
created beside it and dropped afterwards; the anchor works in its own schema of DATABASE_URL's
database, which it drops at the end). The comparison with COPY needs PostgreSQL.
"""

import argparse
import datetime
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
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
ANCHOR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "import_anchor.py"

# The anchor's catalogue (import_anchor.make_agencies, copied: the product never reads ../shared).
MINISTRIES = [
    "Bộ Tài chính", "Bộ Công an", "Bộ Quốc phòng", "Bộ Ngoại giao", "Bộ Nội vụ",
    "Bộ Tư pháp", "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng",
    "Bộ Giáo dục và Đào tạo", "Bộ Y tế", "Bộ Khoa học và Công nghệ",
    "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Dân tộc và Tôn giáo",
    "Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ", "Văn phòng Chính phủ",
    "Kiểm toán Nhà nước", "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam",
]
PROVINCES = [
    ("thành phố", "Hà Nội"), ("Thành phố", "Hồ Chí Minh"), ("thành phố", "Đà Nẵng"),
    ("thành phố", "Hải Phòng"), ("thành phố", "Cần Thơ"), ("tỉnh", "Quảng Ninh"),
    ("tỉnh", "Nghệ An"), ("tỉnh", "Thanh Hóa"), ("tỉnh", "Lâm Đồng"), ("tỉnh", "Đắk Lắk"),
    ("tỉnh", "Khánh Hòa"), ("tỉnh", "Bắc Ninh"), ("thành phố", "Huế"),
]
PROVINCIAL_BODIES = [
    "Ủy ban nhân dân", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng",
    "Sở Khoa học và Công nghệ", "Sở Y tế", "Sở Giáo dục và Đào tạo",
]
ANCHOR_AGENCIES = 60
_ROWS_PER_SECOND = re.compile(r"rows/s=([\d,]+)")


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


def anchor_agencies():
    """(name, is a ministry) of the anchor's 60 agencies, in its order."""
    found = [(name, True) for name in MINISTRIES]
    seen = set(MINISTRIES)
    index = 0
    while len(found) < ANCHOR_AGENCIES:
        body = PROVINCIAL_BODIES[index % len(PROVINCIAL_BODIES)]
        kind, place = PROVINCES[(index * 5 + index // len(PROVINCIAL_BODIES)) % len(PROVINCES)]
        name = f"{body} {kind} {place}"
        if name not in seen:
            seen.add(name)
            found.append((name, False))
        index += 1
    return found


def run_anchor(args, dsn, save_to=None):
    """rows/s of the anchor's COPY (method 4) over ``args.tasks`` rows, one run in its own process."""
    command = [sys.executable, str(args.anchor), dsn, "--rows", str(args.tasks), "--methods", "4",
               "--repeats", "1"]
    if save_to:
        command += ["--save-xlsx", str(save_to)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = _ROWS_PER_SECOND.search(done.stdout)
    if done.returncode or not found:
        raise SystemExit(f"the anchor failed:\n{done.stdout}\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def import_file(province, path, number):
    """What ``import_appendix PATH --province … --plan NUMBER --title …`` does: the preview, then in
    one transaction the commit into a new plan and the import recorded with its file and preview.
    Returns the seconds of each step."""
    from django.core.files import File
    from django.db import transaction

    from plans.import_commit import commit_import
    from plans.importing import build_import_preview, has_errors
    from plans.models import AppendixImport, ImportStatus

    steps = {}
    started = time.perf_counter()
    preview = build_import_preview(province, path, path.name, REFERENCE_DATE)
    steps["preview"] = time.perf_counter() - started
    assert not has_errors(preview), "the anchor's file has errors"
    fields = {"number": number, "title": "Anchor", "reference_date": REFERENCE_DATE, "issuer": "UBND"}
    with transaction.atomic():
        started = time.perf_counter()
        plan, result = commit_import(province, preview, new_plan=fields, source=path.name)
        steps["commit"] = time.perf_counter() - started
        started = time.perf_counter()
        record = AppendixImport(
            province=province, plan=plan, reference_date=REFERENCE_DATE, original_name=path.name,
            status=ImportStatus.DONE, preview=preview, result=result,
        )
        with path.open("rb") as handle:
            record.file.save(path.name, File(handle), save=False)
        record.save()
        steps["record"] = time.perf_counter() - started
        started = time.perf_counter()
    steps["end of transaction"] = time.perf_counter() - started
    return steps


def against_copy(args, dsn):
    """The import of the anchor's file as the import_appendix command does it (``import_file``), rounds
    alternating with the anchor's COPY."""
    from agencies.models import Agency, AgencyKind, Province
    from plans.models import Plan

    province = Province.objects.create(name="Anchor", slug="anchor")
    Agency.objects.bulk_create(
        Agency(province=province, name=name, kind=AgencyKind.CENTRAL if central else AgencyKind.DEPARTMENT)
        for name, central in anchor_agencies()
    )
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    path = folder / "anchor.xlsx"
    copy_rates, product_rates = [], []
    print(f"end to end, {args.tasks} rows of the anchor's spreadsheet, {args.rounds} rounds (PostgreSQL)\n")
    print(f"{'round':<7} {'COPY rows/s':>12} {'import rows/s':>14} {'seconds':>8} {'ratio':>6}")
    limit = {"APPENDIX_MAX_ROWS": args.tasks * 2, "APPENDIX_MAX_BYTES": 50 * 1024 * 1024,
             "MEDIA_ROOT": str(folder / "media")}
    with override_settings(**limit):
        for number in range(1, args.rounds + 1):
            copy_rates.append(run_anchor(args, dsn, save_to=path if number == 1 else None))
            steps, seconds, _queries = timed(import_file, province, path, f"{number}/KH-BENCH")
            product_rates.append(args.tasks / seconds)
            shown = ", ".join(f"{step} {spent:.2f}" for step, spent in steps.items())
            print(f"{number:<7} {copy_rates[-1]:>12,} {product_rates[-1]:>14,.0f} {seconds:>8.2f} "
                  f"{product_rates[-1] / copy_rates[-1]:>6.2f}   ({shown})", flush=True)
            Plan.objects.filter(province=province).delete()  # every round imports into an empty province
    copy_rate, product_rate = statistics.median(copy_rates), statistics.median(product_rates)
    print(f"\nmedian: COPY {copy_rate:,.0f} rows/s, import end to end {product_rate:,.0f} rows/s: "
          f"{product_rate / copy_rate:.2f} of COPY (target 0.80)\n")


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
    parser.add_argument("--rounds", type=int, default=3, help="rounds of anchor COPY and import (default 3)")
    parser.add_argument("--anchor", type=Path, default=ANCHOR, help="the anchor (../shared/bench)")
    parser.add_argument("--only-copy", action="store_true", help="only the comparison with COPY")
    parser.add_argument("--no-copy", action="store_true", help="only the steps, not the comparison with COPY")
    args = parser.parse_args()
    dsn = os.environ.get("DATABASE_URL", "")
    compare = not args.no_copy and dsn.startswith(("postgres://", "postgresql://"))
    if not args.no_copy and not compare:
        print("(no comparison with COPY: DATABASE_URL is not a PostgreSQL database)\n")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if compare:
            against_copy(args, dsn)
        if not args.only_copy:
            bench(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
