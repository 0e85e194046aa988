"""Build a province's progress report over 5,000 tasks; print the time and the query count.

Target: under 2 s (50,000 tasks: the summary under 2 s, with its .xlsx under 4 s), and the same
number of queries whatever the number of tasks; the .csv of every task streams (two queries per
2,000 tasks).

    .venv/bin/python bench/report_bench.py [--tasks 5000]

Runs on a throwaway database (SQLite in memory unless DATABASE_URL is set: then a test database
is created beside it and dropped afterwards).
"""

import argparse
import datetime
import os
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DEADLINES = ["Năm 2024", "Quý II năm 2024", "Quý III năm 2024", "Năm 2025", "Thường xuyên", "Hằng quý",
             "Theo lộ trình của Bộ", "trước ngày 15/5/2024"]
STATUSES = ["not_started", "in_progress", "completed", "completed", "awaiting_acceptance"]


def populate(count):
    from agencies.models import Agency, AgencyKind, Province
    from plans.models import Plan
    from tasks.deadlines import parse_deadline
    from tasks.models import AssignmentRole, Task, TaskAssignment

    province = Province.objects.create(name="Tỉnh thử", slug="bench")
    agencies = Agency.objects.bulk_create(
        Agency(province=province, name=f"Sở số {n}", kind=AgencyKind.DEPARTMENT) for n in range(40))
    plans = [Plan.objects.create(province=province, number=f"{n}/KH-UBND", title=f"Kế hoạch {n}",
                                 reference_date=datetime.date(2024, 1, 10), end_year=2025, issuer="UBND tỉnh")
             for n in range(10)]
    tasks = []
    for n in range(count):
        plan = plans[n % len(plans)]
        text = DEADLINES[n % len(DEADLINES)]
        status = STATUSES[n % len(STATUSES)]
        done_on = datetime.date(2024, 1 + n % 12, 1 + n % 28) if status == "completed" else None
        task = Task(plan=plan, code=str(n), position=n, title=f"Nhiệm vụ {n}", deadline_text=text,
                    status=status, completed_on=done_on)
        task.apply_deadline(parse_deadline(text, plan.reference_date))
        tasks.append(task)
    tasks = Task.objects.bulk_create(tasks, batch_size=1000)
    TaskAssignment.objects.bulk_create(
        (TaskAssignment(task=t, agency=agencies[i % len(agencies)], role=AssignmentRole.LEAD, mention="x")
         for i, t in enumerate(tasks)), batch_size=1000)
    Task.objects.filter(plan__province=province).sync_occurrences()
    return province


def measure(province, fmt):
    """Seconds, queries and the report's total for the summary ("json"), the summary and its .xlsx
    written to a file, or the .csv of every task streamed as the download does it."""
    from reports.documents.tables import csv_lines, write_xlsx
    from reports.periods import parse_period
    from reports.summary import build_summary, iter_task_rows, period_tasks

    period = parse_period("2024")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, tempfile.TemporaryFile() as output:
        if fmt == "csv":
            _tasks, current, _window, on = period_tasks(province, period)
            rows = iter_task_rows(current, on)
            total = sum(chunk.count(b"\n") for chunk in csv_lines(rows)) - 1
        else:
            summary = build_summary(province, period)
            total = summary["totals"]["total"]
            if fmt == "xlsx":
                write_xlsx(summary, output)
    return time.perf_counter() - started, len(queries), total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        for count in (100, args.tasks):
            from agencies.models import Province

            if Province.objects.filter(slug="bench").exists():
                _clear()
            province = populate(count)
            for fmt in ("json", "xlsx", "csv"):
                seconds, queries, total = measure(province, fmt)
                print(f"{count:>6} tasks  {fmt:<5} {seconds:6.2f} s  {queries:3d} queries  "
                      f"(report total {total})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _clear():
    from agencies.models import Agency, Province
    from plans.models import Plan

    Plan.objects.all().delete()
    Agency.objects.all().delete()
    Province.objects.all().delete()


if __name__ == "__main__":
    main()
