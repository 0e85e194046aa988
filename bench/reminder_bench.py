"""The daily reminder scan over 1,000,000 tasks in 34 provinces on PostgreSQL: generation, scan time,
SQL statements, reminders recorded, peak memory, a second scan (nothing new), the next day's and
the next Monday's (new weekly windows for all overdue work), then streaming the pending reminders
person by person as delivery does (without sending).

Target: the scan under 10 s at 1,000,000 tasks, with a memory peak that does not grow with the tasks.

    scripts/with-services.sh .venv/bin/python bench/reminder_bench.py --tasks 100000 1000000
    DATABASE_URL=postgres://... .venv/bin/python bench/reminder_bench.py [--tasks N ...] [--explain]

PostgreSQL only. Runs on a throwaway database created beside DATABASE_URL, migrated, and dropped
afterwards. The data is generated with a few INSERT … SELECT generate_series statements (no ORM
rows); each size in --tasks starts from empty tables.
"""

import argparse
import datetime
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")  # a benchmark runs on the demo settings (DEBUG is off unless set)
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit(
        "reminder_bench.py measures PostgreSQL (SQLite is not what production runs): set DATABASE_URL, "
        "or run it through scripts/with-services.sh."
    )

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PROVINCES = 34
AGENCIES = 60  # per province: 20 departments, 15 districts, 24 other agencies, and the group below
DEPARTMENTS = 20
GROUP = AGENCIES  # number of "Các sở, ban, ngành Tỉnh" within its province: every department is a member
PLANS = 3  # per province; the third plan of the first province has its own reminder days
SPREAD = 182  # due dates spread from SPREAD days before the scan day to SPREAD days after


def r(seed, below=100):
    """A pseudo-random number from 0 to ``below`` - 1 for task ``i``, one independent draw per seed."""
    return f"abs(mod(hashint4extended(i, {seed}), {below}))::int"


STATUS = f"""CASE WHEN due < %(day)s THEN CASE
        WHEN {r(1)} < 85 THEN 'completed' WHEN {r(1)} < 90 THEN 'awaiting_acceptance'
        WHEN {r(1)} < 95 THEN 'in_progress' WHEN {r(1)} < 99 THEN 'not_started' ELSE 'cancelled' END
    ELSE CASE
        WHEN {r(1)} < 10 THEN 'completed' WHEN {r(1)} < 60 THEN 'in_progress'
        WHEN {r(1)} < 99 THEN 'not_started' ELSE 'cancelled' END
    END"""
# Agency numbers within the province: the coordinator is never the lead.
LEAD = f"CASE WHEN {r(2)} < 2 THEN {GROUP} ELSE 1 + {r(3, GROUP - 1)} END"
COORDINATOR = f"""CASE WHEN {r(4)} < 10 THEN {GROUP}
    ELSE 1 + mod({r(3, GROUP - 1)} + 1 + {r(5, GROUP - 2)}, {GROUP - 1}) END"""

GENERATE = [
    (
        "provinces",
        f"""INSERT INTO agencies_province (id, name, slug)
        SELECT p, 'Tỉnh ' || p, 'tinh-' || p FROM generate_series(1, {PROVINCES}) p""",
    ),
    (
        "agencies",
        f"""INSERT INTO agencies_agency (id, province_id, name, kind, succession_note)
        SELECT (p - 1) * {AGENCIES} + k, p,
            CASE WHEN k = {GROUP} THEN 'Các sở, ban, ngành Tỉnh' WHEN k <= {DEPARTMENTS} THEN 'Sở số ' || k
                 WHEN k <= 35 THEN 'UBND huyện số ' || k ELSE 'Đơn vị số ' || k END,
            CASE WHEN k = {GROUP} THEN 'group' WHEN k <= {DEPARTMENTS} THEN 'department'
                 WHEN k <= 35 THEN 'district' ELSE 'enterprise' END,
            ''
        FROM generate_series(1, {PROVINCES}) p, generate_series(1, {AGENCIES}) k""",
    ),
    (
        "group members",
        f"""INSERT INTO agencies_agency_members (from_agency_id, to_agency_id)
        SELECT (p - 1) * {AGENCIES} + {GROUP}, (p - 1) * {AGENCIES} + k
        FROM generate_series(1, {PROVINCES}) p, generate_series(1, {DEPARTMENTS}) k""",
    ),
    (
        # Two focal points (one of them, in a tenth of the agencies, without e-mail reminders) and a
        # leader per agency; two provincial admins per province.
        "users",
        f"""INSERT INTO agencies_user (password, is_superuser, username, first_name, last_name, email,
            is_staff, is_active, date_joined, role, phone, agency_id, province_id, email_reminders)
        SELECT '!', false, 'u' || a.id || '-' || n, '', '', 'u' || a.id || '-' || n || '@bench.example',
            false, true, now(), CASE WHEN n <= 2 THEN 'focal_point' ELSE 'leader' END, '', a.id,
            a.province_id, NOT (n = 2 AND mod(a.id, 10) = 0)
        FROM agencies_agency a, generate_series(1, 3) n WHERE a.kind <> 'group'
        UNION ALL
        SELECT '!', false, 'admin' || p || '-' || n, '', '', 'admin' || p || '-' || n || '@bench.example',
            false, true, now(), 'province_admin', '', NULL, p, true
        FROM generate_series(1, {PROVINCES}) p, generate_series(1, 2) n""",
    ),
    (
        "plans",
        f"""INSERT INTO plans_plan (id, province_id, number, title, issued_on, reference_date, issuer,
            signer, signer_position, legal_basis, related_documents, reporting_deadline_text, status,
            notes, created_at, updated_at, reminder_days, escalate_after, escalate_admin_after)
        SELECT (p - 1) * {PLANS} + j, p, j || '/KH-UBND', 'Kế hoạch số ' || j, %(reference)s,
            %(reference)s, 'UBND tỉnh', '', '', '', '', 'Hằng năm, trước ngày 30 tháng 11', 'active', '',
            now(), now(), CASE WHEN p = 1 AND j = {PLANS} THEN '10,5,1' ELSE '7,3,1' END, 14, 30
        FROM generate_series(1, {PROVINCES}) p, generate_series(1, {PLANS}) j""",
    ),
    (
        # Task i belongs to province i % 34; most work due before the scan day is accepted.
        "tasks",
        f"""INSERT INTO tasks_task (id, plan_id, code, position, title, deliverable, notes, deadline_text,
            deadline_kind, deadline_due, deadline_every, status, progress, completed_on, created_at,
            updated_at, version)
        SELECT i, mod(i - 1, {PROVINCES}) * {PLANS} + mod((i - 1) / {PROVINCES}, {PLANS}) + 1, i::text, i,
            'Nhiệm vụ số ' || i, '', '', 'Trước ngày ' || to_char(due, 'DD/MM/YYYY'), 'period', due, '',
            status, CASE status WHEN 'completed' THEN 100 WHEN 'in_progress' THEN 50 ELSE 0 END,
            CASE WHEN status = 'completed' THEN LEAST(due, %(day)s - 1) - {r(6, 20)} END, now(), now(), 1
        FROM generate_series(1, %(tasks)s) i,
            LATERAL (SELECT %(day)s + {r(0, 2 * SPREAD + 1)} - {SPREAD} AS due) d,
            LATERAL (SELECT {STATUS} AS status) s""",
    ),
    (
        # A lead and a coordinator per task, in the task's province; 2 % of the tasks are led, and
        # 10 % coordinated, by the group of all departments.
        "assignments",
        f"""INSERT INTO tasks_taskassignment (task_id, agency_id, role, mention, position)
        SELECT i,
            mod(i - 1, {PROVINCES}) * {AGENCIES} + CASE role WHEN 'lead' THEN {LEAD} ELSE {COORDINATOR} END,
            role, 'Đơn vị ' || role, 0
        FROM generate_series(1, %(tasks)s) i, (VALUES ('lead'), ('coordinator')) roles (role)""",
    ),
]
TABLES = ["agencies_province", "agencies_agency", "agencies_agency_members", "agencies_user", "plans_plan",
          "tasks_task", "tasks_taskassignment"]
LOG = "tasks_reminderlog"  # named: its keys are not enforced, so CASCADE does not reach it


def generate(tasks, day):
    """Fill the tables; return the rows per table and the seconds per step."""
    params = {"tasks": tasks, "day": day, "reference": day.replace(month=1, day=1)}
    seconds = {}
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join([*TABLES, LOG])} RESTART IDENTITY CASCADE")
        for name, statements in [*((name, [sql]) for name, sql in GENERATE),
                                 ("VACUUM ANALYZE", [f"VACUUM ANALYZE {table}" for table in TABLES])]:
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql, params)
            seconds[name] = time.perf_counter() - started
        cursor.execute(f"SELECT {', '.join(f'(SELECT count(*) FROM {table})' for table in TABLES)}")
        return dict(zip(TABLES, cursor.fetchone(), strict=True)), seconds


class Measure:
    """Time, SQL statements and memory of a block: the growth of the process's peak RSS, and with
    ``trace`` the tracemalloc peak (which slows Python code down about five times: the scan's work is
    in the database, streaming is not)."""

    def __init__(self, trace=True):
        self.trace = trace

    def __enter__(self):
        gc.collect()
        self.queries = CaptureQueriesContext(connection).__enter__()
        self.rss = maxrss_kib()
        if self.trace:
            tracemalloc.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        if self.trace:
            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        self.rss_growth = maxrss_kib() - self.rss
        self.queries.__exit__(*exc)

    def line(self, what, result):
        slowest = max((float(q["time"]) for q in self.queries.captured_queries), default=0)
        traced = f"tracemalloc peak {self.peak / 2**20:5.1f} MiB, " if self.trace else ""
        print(
            f"  {what:<30} {self.seconds:7.2f} s {len(self.queries):3d} statements (slowest {slowest:5.2f} s)"
            f"  {traced}max RSS +{self.rss_growth / 1024:.1f} -> {maxrss_kib() / 1024:.0f} MiB  {result}"
        )


def maxrss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def stream_pending():
    """Walk every pending reminder, person by person, the way delivery reads them."""
    from tasks.reminder_delivery import pending

    recipients = reminders = largest = 0
    for _recipient, logs in pending():
        count = sum(1 for _log in logs)
        recipients += 1
        reminders += count
        largest = max(largest, count)
    return f"{recipients:,} recipients, {reminders:,} reminders, at most {largest:,} for one person"


def explain(statement, day):
    """EXPLAIN ANALYZE one statement of the first scan, as that scan ran it: on an empty log and
    inside a scan (its statements read the scan's temporary table); rolled back."""
    from tasks.reminder_scan import scan

    def explained(execute, sql, params, many, context):
        if context["cursor"].cursor.mogrify(sql, params).decode() != statement:
            return execute(sql, params, many, context)
        result = execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params, many, context)
        print("\n".join(row[0] for row in context["cursor"].fetchall()))
        return result

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {LOG}")
        with connection.execute_wrapper(explained):
            scan(day)
        transaction.set_rollback(True)


def bench(tasks, day, show_plan):
    from tasks.models import ReminderLog
    from tasks.reminder_scan import scan

    counts, seconds = generate(tasks, day)
    steps = ", ".join(f"{name} {spent:.1f} s" for name, spent in seconds.items())
    print(f"\n{tasks:,} tasks: generated in {sum(seconds.values()):.1f} s ({steps})")
    print("  rows: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
    with Measure() as first:
        inserted = scan(day)
    first.line(f"scan {day:%a %d/%m/%Y}", f"{inserted:,} reminders recorded")
    kinds = ReminderLog.objects.values_list("kind").annotate(Count("pk")).order_by("kind")
    print("  by kind: " + ", ".join(f"{kind} {count:,}" for kind, count in kinds))
    with Measure() as second:
        again = scan(day)
    second.line("second scan, same day", f"{again:,} reminders recorded (must be 0)")
    next_day = day + datetime.timedelta(days=1)
    with Measure() as following:
        inserted = scan(next_day)
    following.line(f"next day's scan {next_day:%d/%m/%Y}", f"{inserted:,} reminders recorded")
    # Every overdue item and escalation opens a new weekly window on Mondays: a day's largest scan.
    monday = next_day + datetime.timedelta(days=7 - next_day.weekday())
    with Measure() as weekly:
        inserted = scan(monday)
    weekly.line(f"next Monday's scan {monday:%d/%m/%Y}", f"{inserted:,} reminders recorded")
    with Measure(trace=False) as streamed:
        summary = stream_pending()
    streamed.line("stream pending() (no sending)", summary)
    if show_plan:
        slowest = max(first.queries.captured_queries, key=lambda q: float(q["time"]))
        print(f"\nEXPLAIN ANALYZE of the slowest scan statement ({slowest['time']} s):")
        explain(slowest["sql"], day)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="sizes to run, each on fresh tables (default: 100000 1000000)")
    parser.add_argument("--day", type=datetime.date.fromisoformat, default=datetime.date(2024, 12, 24),
                        help="the day to scan, YYYY-MM-DD")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE of the slowest scan statement")
    args = parser.parse_args()
    settings.DEBUG = False  # as in production: no query log outside the measured blocks
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        database = connection.settings_dict["NAME"]
        print(f"PostgreSQL {connection.pg_version // 10000}, throwaway database {database}")
        for tasks in args.tasks:
            bench(tasks, args.day, args.explain)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
