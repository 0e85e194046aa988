"""Every page of every role at scale, served as in production, beside the 68-task demo in one run.

Builds two PostgreSQL databases beside DATABASE_URL: the demo (``load_demo``) and a generated one of
``--tasks`` tasks (default 1,000,000) in 34 provinces, three plans each written as an import writes
them (sections I–V, codes "II.15", a lead and a coordinator per task with the words printed, an
"import" history entry per task), every deadline kind (dated, period, recurring quarterly and
yearly with their periods, ongoing with their yearly reports, unscheduled, unreadable), reports,
reviews, evidence records, notifications, pending extension requests and report drafts, and the
period figures the nightly job keeps (``tasks.judgements``; again for today with ``--reuse``). Each is
then served by gunicorn (2 sync workers, DEBUG off, WhiteNoise, as the Docker image runs it) and
every page of each role is measured: SQL statements (counted in-process with the test client on
the same database), bytes, p50/p95 of sequential requests by one user, p50/p95 and requests/s of
20 users at once, and the ratio of the large database's p50 to the demo's.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres \\
        .venv/bin/python bench/pages_bench.py --tasks 100000 [--keep] [--reuse] [--only mine,home]

``--reuse`` keeps the databases of an earlier ``--keep`` run (same --tasks) instead of rebuilding.
PostgreSQL only. The generated data is a few INSERT … SELECT generate_series statements (no ORM
rows); every column the statements do not name gets its model default, so new fields do not break it.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PROVINCES = 34
# Per province: 20 departments, 15 districts, the People's Committee's office, 23 others and a group.
AGENCIES = 60
DEPARTMENTS = 20
OFFICE = 36
GROUP = AGENCIES  # "Các sở, ban, ngành Tỉnh": every department is a member
PLANS = 3  # per province: 1,000,000 tasks make plans of 9,804 tasks
SECTIONS = ("I", "II", "III", "IV", "V")
REFERENCE = "2025-01-15"
END_YEAR = 2027
SPAN = 1080  # dated work falls due from the reference date to the end of 2027
PASSWORD = "bench12345"
SERVER_PORT = 18765


# The database builder and the page prober run as child processes (``--child``), each with its own
# DATABASE_URL: the orchestrator itself never imports Django.

def r(seed, below=100, of="i"):
    """A pseudo-random whole number from 0 to ``below`` - 1 for row ``of``, one independent draw per seed."""
    return f"abs(mod(hashint4extended(({of})::int, {seed}), {below}))::int"


KIND = f"""CASE WHEN {r(7)} < 70 THEN 'period' WHEN {r(7)} < 75 THEN 'date' WHEN {r(7)} < 85 THEN 'recurring'
    WHEN {r(7)} < 93 THEN 'ongoing' WHEN {r(7)} < 97 THEN 'unscheduled' ELSE 'unknown' END"""
STATUS = f"""CASE WHEN kind IN ('recurring', 'ongoing', 'unscheduled', 'unknown') THEN
        CASE WHEN {r(1)} < 60 THEN 'in_progress' WHEN {r(1)} < 99 THEN 'not_started' ELSE 'cancelled' END
    WHEN due < %(today)s THEN CASE
        WHEN {r(1)} < 75 THEN 'completed' WHEN {r(1)} < 80 THEN 'awaiting_acceptance'
        WHEN {r(1)} < 82 THEN 'returned' WHEN {r(1)} < 90 THEN 'in_progress'
        WHEN {r(1)} < 99 THEN 'not_started' ELSE 'cancelled' END
    ELSE CASE
        WHEN {r(1)} < 10 THEN 'completed' WHEN {r(1)} < 14 THEN 'awaiting_acceptance'
        WHEN {r(1)} < 60 THEN 'in_progress' WHEN {r(1)} < 99 THEN 'not_started' ELSE 'cancelled' END
    END"""
LEAD = f"CASE WHEN {r(2)} < 2 THEN {GROUP} ELSE 1 + {r(3, GROUP - 1)} END"
COORDINATOR = f"""CASE WHEN {r(4)} < 10 THEN {GROUP}
    ELSE 1 + mod({r(3, GROUP - 1)} + 1 + {r(5, GROUP - 2)}, {GROUP - 1}) END"""
FOCAL_POINT_OF_LEAD = ("(SELECT u.id FROM agencies_user u WHERE u.agency_id = a.agency_id "
                       "AND u.role = 'focal_point')")
PLAN_OF = f"mod(i - 1, {PROVINCES * PLANS}) + 1"  # task i: plan, then its province
PROVINCE_OF = f"(mod(i - 1, {PROVINCES * PLANS}) / {PLANS}) + 1"
POSITION_OF = f"(i - 1) / {PROVINCES * PLANS} + 1"

# (model label, {column: SQL}, FROM …): every other column gets its model default.
GENERATE = [
    ("agencies.Province", {"id": "p", "name": "'Tỉnh ' || p", "slug": "'tinh-' || p"},
     f"FROM generate_series(1, {PROVINCES}) p"),
    ("agencies.Agency", {
        "id": f"(p - 1) * {AGENCIES} + k", "province_id": "p",
        "name": f"""CASE WHEN k = {GROUP} THEN 'Các sở, ban, ngành Tỉnh'
            WHEN k <= {DEPARTMENTS} THEN 'Sở số ' || k
            WHEN k <= 35 THEN 'UBND huyện số ' || k WHEN k = {OFFICE} THEN 'Văn phòng UBND tỉnh'
            ELSE 'Đơn vị số ' || k END""",
        "kind": f"""CASE WHEN k = {GROUP} THEN 'group' WHEN k <= {DEPARTMENTS} THEN 'department'
            WHEN k <= 35 THEN 'district' WHEN k = {OFFICE} THEN 'province_office' ELSE 'enterprise' END"""},
     f"FROM generate_series(1, {PROVINCES}) p, generate_series(1, {AGENCIES}) k"),
    ("agencies.Agency_members", {"from_agency_id": f"(p - 1) * {AGENCIES} + {GROUP}",
                                 "to_agency_id": f"(p - 1) * {AGENCIES} + k"},
     f"FROM generate_series(1, {PROVINCES}) p, generate_series(1, {DEPARTMENTS}) k"),
    # A focal point ("fp<agency>") and a leader ("ld<agency>") per agency; an admin per province.
    ("agencies.User", {
        "password": "%(password)s", "username": "CASE WHEN n = 1 THEN 'fp' ELSE 'ld' END || a.id",
        "email": "'u' || a.id || '-' || n || '@bench.example'", "date_joined": "now()",
        "role": "CASE WHEN n = 1 THEN 'focal_point' ELSE 'leader' END",
        "agency_id": "a.id", "province_id": "a.province_id"},
     "FROM agencies_agency a, generate_series(1, 2) n WHERE a.kind <> 'group'"),
    ("agencies.User", {
        "password": "%(password)s", "username": "'admin' || p", "email": "'admin' || p || '@bench.example'",
        "date_joined": "now()", "role": "'province_admin'", "province_id": "p"},
     f"FROM generate_series(1, {PROVINCES}) p"),
    ("plans.Plan", {
        "id": f"(p - 1) * {PLANS} + j", "province_id": "p", "number": "(100 + j) || '/KH-UBND'",
        "kind": "'Kế hoạch'",
        "title": f"'Kế hoạch thực hiện chương trình số ' || j || ' giai đoạn 2025 - {END_YEAR}'",
        "issued_on": "%(reference)s", "reference_date": "%(reference)s", "issuer": "'UBND tỉnh'",
        "end_year": str(END_YEAR), "status": "'active'", "created_at": "now()", "updated_at": "now()",
        "report_recipient_id": "(p - 1) * 60 + 1"},
     f"FROM generate_series(1, {PROVINCES}) p, generate_series(1, {PLANS}) j"),
    ("plans.PlanSection", {
        "id": f"(pl - 1) * {len(SECTIONS)} + s", "plan_id": "pl",
        "code": f"(ARRAY{list(SECTIONS)})[s]", "title": "'Nhóm nhiệm vụ ' || s", "position": "s"},
     f"FROM generate_series(1, {PROVINCES * PLANS}) pl, generate_series(1, {len(SECTIONS)}) s"),
    ("tasks.Task", {
        "id": "i", "plan_id": PLAN_OF,
        "section_id": f"({PLAN_OF} - 1) * {len(SECTIONS)} + 1 + mod({POSITION_OF} - 1, {len(SECTIONS)})",
        "code": f"(ARRAY{list(SECTIONS)})[1 + mod({POSITION_OF} - 1, {len(SECTIONS)})] || '.' || "
                f"{POSITION_OF}",
        "position": POSITION_OF, "title": "'Triển khai nhiệm vụ số ' || i || ' của kế hoạch'",
        "deliverable": "'Báo cáo kết quả thực hiện'",
        "deadline_text": """CASE kind
            WHEN 'recurring' THEN CASE WHEN every = 'quarter' THEN 'Hằng quý' ELSE 'Hằng năm' END
            WHEN 'ongoing' THEN 'Thường xuyên' WHEN 'unscheduled' THEN 'Theo lộ trình của Bộ'
            WHEN 'unknown' THEN 'Theo tiến độ' ELSE 'Trước ngày ' || to_char(due, 'DD/MM/YYYY') END""",
        "deadline_kind": "kind",
        "deadline_due": """CASE kind WHEN 'recurring' THEN CASE WHEN every = 'quarter' THEN '2025-03-31'::date
            ELSE '2025-12-31'::date END WHEN 'period' THEN due WHEN 'date' THEN due END""",
        "deadline_every": "CASE WHEN kind = 'recurring' THEN every ELSE '' END",
        "status": "status",
        "progress": "CASE status WHEN 'completed' THEN 100 WHEN 'awaiting_acceptance' THEN 100 "
                    "WHEN 'in_progress' THEN 50 ELSE 0 END",
        "completed_on": f"""CASE WHEN status IN ('completed', 'awaiting_acceptance') THEN
            LEAST(due + {r(6, 30)} - 20, %(today)s - 1) END""",
        "source_row": f"{POSITION_OF} + 3", "created_at": "%(reference)s::timestamptz",
        "updated_at": "%(reference)s::timestamptz"},
     f"""FROM generate_series(1, %(tasks)s) i,
        LATERAL (SELECT %(reference)s::date + {r(0, SPAN)} AS due,
                        CASE WHEN {r(8)} < 60 THEN 'quarter' ELSE 'year' END AS every) d,
        LATERAL (SELECT {KIND} AS kind) k,
        LATERAL (SELECT {STATUS} AS status) s"""),
    ("tasks.TaskAssignment", {
        "task_id": "i",
        "agency_id": f"({PROVINCE_OF} - 1) * {AGENCIES} + "
                     f"CASE role WHEN 'lead' THEN {LEAD} ELSE {COORDINATOR} END",
        "role": "role", "mention": "CASE role WHEN 'lead' THEN 'Sở chủ trì' ELSE 'Các đơn vị phối hợp' END",
        "position": "0"},
     "FROM generate_series(1, %(tasks)s) i, (VALUES ('lead'), ('coordinator')) roles (role)"),
    # Periods: a quarterly task 12, a yearly one 3 (to the plan's horizon), an ongoing task's yearly
    # report 3 (30/11, the plans' reporting cycle). Past periods are mostly done.
    ("tasks.Occurrence", {
        "task_id": "t.id", "due": "o.due",
        "purpose": "CASE WHEN t.deadline_kind = 'ongoing' THEN 'report' ELSE 'recurrence' END",
        "status": f"""CASE WHEN t.status = 'cancelled' THEN 'cancelled' WHEN o.due < %(today)s THEN CASE
                WHEN {r(11, of="t.id * 16 + o.k")} < 80 THEN 'completed'
                WHEN {r(11, of="t.id * 16 + o.k")} < 86 THEN 'awaiting_acceptance'
                WHEN {r(11, of="t.id * 16 + o.k")} < 93 THEN 'in_progress' ELSE 'not_started' END
            WHEN {r(11, of="t.id * 16 + o.k")} < 50 THEN 'in_progress' ELSE 'not_started' END""",
        "completed_on": f"""CASE WHEN t.status <> 'cancelled' AND o.due < %(today)s
            AND {r(11, of="t.id * 16 + o.k")} < 86 THEN LEAST(o.due + {r(12, 20, of="t.id * 16 + o.k")} - 12,
            %(today)s - 1) END"""},
     """FROM tasks_task t, LATERAL (
            SELECT k, (make_date(2025, 1, 1) + (3 * k + 3) * interval '1 month'
                       - interval '1 day')::date AS due
            FROM generate_series(0, 11) k WHERE t.deadline_every = 'quarter'
            UNION ALL SELECT k, make_date(2025 + k, 12, 31) FROM generate_series(0, 2) k
            WHERE t.deadline_every = 'year'
            UNION ALL SELECT k, make_date(2025 + k, 11, 30) FROM generate_series(0, 2) k
            WHERE t.deadline_kind = 'ongoing') o
        WHERE t.deadline_kind IN ('recurring', 'ongoing')"""),
    # History: the import's entry on every task, the lead's report on work started, the admin's
    # review on work accepted.
    ("tasks.TaskUpdate", {"task_id": "t.id", "kind": "'import'", "note": "'Nhập từ phụ lục'",
                          "created_at": "%(reference)s::timestamptz"},
     "FROM tasks_task t"),
    ("tasks.TaskUpdate", {
        "task_id": "t.id", "agency_id": "a.agency_id",
        "author_id": FOCAL_POINT_OF_LEAD,
        "kind": "'report'", "done": "'Đã triển khai các nội dung của nhiệm vụ'",
        "difficulties": f"CASE WHEN {r(13, of='t.id')} < 10 THEN 'Thiếu kinh phí' ELSE '' END",
        "proposals": f"CASE WHEN {r(13, of='t.id')} < 5 THEN 'Đề nghị bổ sung kinh phí' ELSE '' END",
        "changes": """jsonb_build_object('status', jsonb_build_array('not_started', t.status))""",
        "created_at": "(COALESCE(t.completed_on, %(today)s - 10) + time '09:00')::timestamptz"},
     """FROM tasks_task t JOIN tasks_taskassignment a ON a.task_id = t.id AND a.role = 'lead'
        WHERE t.status IN ('in_progress', 'awaiting_acceptance', 'returned', 'completed')
          AND t.deadline_kind NOT IN ('recurring', 'ongoing')"""),
    ("tasks.TaskUpdate", {
        "task_id": "t.id", "author_id": f"(SELECT u.id FROM agencies_user u WHERE u.username = 'admin' || "
                                        f"((p.id - 1) / {PLANS} + 1))",
        "kind": "'review'", "note": "'Chấp nhận kết quả'",
        "changes": """jsonb_build_object('status', jsonb_build_array('awaiting_acceptance', 'completed'))""",
        "created_at": "(t.completed_on + 3 + time '10:00')::timestamptz"},
     "FROM tasks_task t JOIN plans_plan p ON p.id = t.plan_id WHERE t.status = 'completed'"),
    ("tasks.Evidence", {
        "update_id": "u.id", "reference": "'Quyết định số ' || u.id || '/QĐ-UBND'",
        "file": "'evidence/bench/' || u.id || '.pdf'", "original_name": "'ket-qua-' || u.id || '.pdf'",
        "content_type": "'application/pdf'", "size": "120000"},
     f"FROM tasks_taskupdate u WHERE u.kind = 'report' AND {r(14, of='u.id')} < 60"),
    ("tasks.Notification", {
        "recipient_id": f"(SELECT u.id FROM agencies_user u "
                        f"WHERE u.username = 'admin' || ((t.plan_id - 1) / {PLANS} + 1))",
        "kind": "'submitted'", "task_id": "t.id",
        "message": "'Đơn vị đã báo cáo hoàn thành nhiệm vụ ' || t.code",
        "created_at": "(t.completed_on + time '11:00')::timestamptz",
        "read_at": f"CASE WHEN {r(15, of='t.id')} < 70 THEN now() END"},
     "FROM tasks_task t WHERE t.status IN ('awaiting_acceptance', 'completed')"),
    ("tasks.Notification", {
        "recipient_id": "u.id", "kind": "'accepted'", "task_id": "t.id",
        "message": "'Nhiệm vụ ' || t.code || ' đã được xác nhận hoàn thành'",
        "created_at": "(t.completed_on + 3 + time '10:00')::timestamptz",
        "read_at": f"CASE WHEN {r(16, of='t.id')} < 80 THEN now() END"},
     """FROM tasks_task t JOIN tasks_taskassignment a ON a.task_id = t.id AND a.role = 'lead'
        JOIN agencies_user u ON u.agency_id = a.agency_id AND u.role = 'focal_point'
        WHERE t.status = 'completed'"""),
    ("tasks.ExtensionRequest", {
        "task_id": "t.id", "agency_id": "a.agency_id",
        "requested_by_id": FOCAL_POINT_OF_LEAD,
        "original_due": "t.deadline_due", "proposed_due": "t.deadline_due + 60",
        "reason": "'Cần thêm thời gian hoàn thiện hồ sơ'", "status": "'pending'",
        "created_at": "(%(today)s - 5 + time '08:00')::timestamptz"},
     f"""FROM tasks_task t JOIN tasks_taskassignment a ON a.task_id = t.id AND a.role = 'lead'
        WHERE t.status IN ('in_progress', 'not_started') AND t.deadline_due IS NOT NULL
          AND {r(17, of='t.id')} < 2
          AND EXISTS (SELECT 1 FROM agencies_user u WHERE u.agency_id = a.agency_id)"""),
    ("reports.Report", {
        "kind": "'agency'", "plan_id": "p.id", "agency_id": f"(p.province_id - 1) * {AGENCIES} + k",
        "recipient_id": f"(p.province_id - 1) * {AGENCIES} + 1", "period": "y::text",
        "number": "k || '/BC-' || y", "report_date": "make_date(y, 12, 10)",
        "summary": "'Kết quả thực hiện kế hoạch năm ' || y", "status": "'draft'",
        "created_by_id": f"(SELECT u.id FROM agencies_user u "
                         f"WHERE u.agency_id = (p.province_id - 1) * {AGENCIES} + k "
                         "AND u.role = 'focal_point')",
        "created_at": "make_date(y, 12, 1)::timestamptz", "updated_at": "make_date(y, 12, 1)::timestamptz"},
     f"FROM plans_plan p, generate_series(1, {DEPARTMENTS}) k, generate_series(2025, 2026) y"),
]


def insert_select(cursor, label, columns, source, params):
    """INSERT … SELECT ``columns`` ``source`` into the model ``label`` ("app.Model" or
    "app.Model_field" for a many-to-many table), every column not named taking its model default."""
    import json as json_module

    from django.apps import apps
    from django.db import models

    app, _, name = label.partition(".")
    model_name, _, m2m = name.partition("_")
    model = apps.get_model(app, model_name)
    if m2m:
        model = model._meta.get_field(m2m).remote_field.through
    names, values, own = list(columns), list(columns.values()), dict(params)
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        default = field.get_default()
        key = f"default_{field.column}"
        if isinstance(field, models.JSONField):
            own[key], cast = json_module.dumps(default), "::jsonb"
        else:
            own[key], cast = default, ""
        names.append(field.column)
        values.append(f"%({key})s{cast}")
    table = model._meta.db_table
    cursor.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} {source}", own)
    return model._meta.db_table, cursor.rowcount


def build_large(tasks):
    """Migrate the child's database and fill it (see GENERATE); print the rows and seconds per table."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    params = {"tasks": tasks, "today": timezone.localdate(), "reference": REFERENCE,
              "password": make_password(PASSWORD)}
    tables = {}
    with connection.cursor() as cursor:
        for label, columns, source in GENERATE:
            started = time.perf_counter()
            table, rows = insert_select(cursor, label, columns, source, params)
            tables.setdefault(table, [0, 0.0])
            tables[table][0] += rows
            tables[table][1] += time.perf_counter() - started
        for table in tables:  # rows written with their ids: the sequences follow
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT COALESCE(max(id), 1) FROM {table}))"
                           if table != "agencies_agency_members" else "SELECT 1")
    started = time.perf_counter()
    keep_judgements()
    tables["keep_judgements"] = [0, time.perf_counter() - started]
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        tables["VACUUM ANALYZE"] = [0, time.perf_counter() - started]
    print(json.dumps({table: {"rows": rows, "s": round(s, 1)} for table, (rows, s) in tables.items()}))


def keep_judgements():
    """What the nightly job keeps (tasks.jobs.keep_judgements), for today; migrations first (a
    reused database may be older than the code)."""
    from django.core.management import call_command
    from django.utils import timezone

    from tasks.judgements import keep_current

    call_command("migrate", verbosity=0)
    keep_current(timezone.localdate())


def build_demo():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", "--force", stdout=quiet)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({}))


# Pages: (role, name, URL template); {plan}, {agency} and {own_agency} are filled in per database.
PAGES = [
    ("focal point", "home", "/"),
    ("focal point", "Việc của tôi", "/tasks/mine/"),
    ("focal point", "Việc của tôi, overdue", "/tasks/mine/?status=overdue"),
    ("focal point", "plan list", "/plans/"),
    ("focal point", "plan detail", "/plans/{plan}/"),
    ("focal point", "task list", "/tasks/"),
    ("focal point", "agency detail (own)", "/agencies/{own_agency}/"),
    ("focal point", "report documents", "/reports/documents/"),
    ("admin", "home", "/"),
    ("admin", "review queue", "/tasks/review/"),
    ("admin", "plan list", "/plans/"),
    ("admin", "plan detail", "/plans/{plan}/"),
    ("admin", "task list", "/tasks/"),
    ("admin", "task list, overdue", "/tasks/?state=overdue"),
    ("admin", "task list, plan + agency + due 30 d", "/tasks/?plan={plan}&agency={agency}&due_within=30"),
    ("admin", "task list, search", "/tasks/?q=b%C3%A1o+c%C3%A1o"),
    ("admin", "agency list", "/agencies/"),
    ("admin", "agency detail", "/agencies/{agency}/"),
    ("admin", "overview", "/reports/"),
    ("admin", "plan report", "/reports/plans/{plan}/"),
    ("admin", "ranking", "/reports/ranking/"),
    ("admin", "report documents", "/reports/documents/"),
    ("leader", "home", "/"),
    ("leader", "overview", "/reports/"),
    ("leader", "plan report", "/reports/plans/{plan}/"),
    ("leader", "ranking", "/reports/ranking/"),
    ("focal point", "API tasks", "/api/v1/tasks/"),
    ("admin", "API tasks", "/api/v1/tasks/"),
    ("admin", "API tasks, overdue", "/api/v1/tasks/?state=overdue"),
    ("admin", "API plans", "/api/v1/plans/"),
    ("admin", "API periods", "/api/v1/periods/"),
    ("admin", "API history", "/api/v1/history/"),
    ("admin", "API evidence", "/api/v1/evidence/"),
    ("admin", "API agencies", "/api/v1/agencies/"),
    ("leader", "API report figures", "/api/v1/reports/figures/"),
]


def probe(large):
    """Log the role users in (sessions in the database), fill in the pages' URLs and count each
    page's SQL statements and bytes with the test client; print it all as JSON."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import User
    from plans.models import Plan

    if large:
        users = {"focal point": "fp1", "admin": "admin1", "leader": f"ld{OFFICE}"}
        plan = Plan.objects.get(pk=1)
    else:
        users = {"focal point": "dongthap.khcn", "admin": "dongthap.admin", "leader": "dongthap.lanhdao"}
        plan = Plan.objects.get(number="115/KH-UBND")
    focal = User.objects.get(username=users["focal point"])
    led = (plan.tasks.filter(assignments__role="lead", assignments__agency__isnull=False)
           .values("assignments__agency").annotate(n=Count("pk")).order_by("-n").first())
    fill = {"plan": plan.pk, "own_agency": focal.agency_id, "agency": led["assignments__agency"]}
    cookies, pages = {}, []
    for role, username in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        for page_role, name, template in PAGES:
            if page_role != role:
                continue
            url = template.format(**fill)
            client.get(url, secure=True)  # warm: first-request work is not the page's
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, secure=True)
            pages.append({"role": role, "name": name, "url": url, "status": response.status_code,
                          "statements": len(queries.captured_queries), "bytes": len(response.content)})
    counts = {"tasks": plan.tasks.model.objects.count(), "plan_tasks": plan.tasks.count()}
    print(json.dumps({"cookies": cookies, "pages": pages, "counts": counts}))


def child_main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    command = argv[0]
    if command == "build-large":
        build_large(int(argv[1]))
    elif command == "build-demo":
        build_demo()
    elif command == "keep-judgements":
        keep_judgements()
        print(json.dumps({}))
    elif command == "probe":
        probe(argv[1] == "large")


# Orchestration --------------------------------------------------------------------------------


def database_url(base, name):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(base, sql):
    subprocess.run(["psql", database_url(base, "postgres"), "-qc", sql], check=True,
                   stdout=subprocess.DEVNULL)


def child(env, *args):
    out = subprocess.run([PYTHON, __file__, "--child", *map(str, args)], env=env, check=True,
                         stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def environment(url, static_root, secret):
    """The production settings: DEBUG off, a real key, behind a trusted proxy (X-Forwarded-Proto).
    The API's rate per user is lifted: the 20 users at once are one signed-in user, whose 120
    requests a minute would otherwise be answered 429 (measuring the throttle, not the page)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=url, SECRET_KEY=secret, ALLOWED_HOSTS="127.0.0.1", TRUSTED_PROXY="true",
               STATIC_ROOT=str(static_root), LOG_LEVEL="WARNING", CELERY_BROKER_URL="memory://",
               VAR_DIR=str(static_root.parent), API_REQUESTS_PER_MINUTE="1000000")
    return env


class Server:
    """gunicorn as the Docker image runs it (2 sync workers here)."""

    def __init__(self, env, workers):
        with open(Path(env["VAR_DIR"]) / "gunicorn.log", "a") as log:
            self.process = subprocess.Popen(
                [str(Path(PYTHON).with_name("gunicorn")), "config.wsgi:application", "--bind",
                 f"127.0.0.1:{SERVER_PORT}", "--workers", str(workers), "--timeout", "120"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
            )
        for _ in range(300):
            try:
                status, _, _ = request(HTTPConnection("127.0.0.1", SERVER_PORT, timeout=5), "/healthz", "")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


def request(conn, url, cookie):
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    started = time.perf_counter()
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, time.perf_counter() - started, len(body)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load(url, cookie, sequential, users, per_user):
    """p50/p95 of ``sequential`` requests one after the other, then of ``users`` clients at once
    (``per_user`` requests each) with the requests per second."""
    conn = HTTPConnection("127.0.0.1", SERVER_PORT, timeout=180)
    request(conn, url, cookie)
    alone = [request(conn, url, cookie)[1] for _ in range(sequential)]
    conn.close()
    times, errors, lock = [], [], threading.Lock()

    def user():
        c = HTTPConnection("127.0.0.1", SERVER_PORT, timeout=180)
        for _ in range(per_user):
            try:
                status, spent, _ = request(c, url, cookie)
            except OSError as error:
                status, spent = str(error), 180.0
                c = HTTPConnection("127.0.0.1", SERVER_PORT, timeout=180)
            with lock:
                times.append(spent)
                if status != 200:
                    errors.append(status)
        c.close()

    threads = [threading.Thread(target=user) for _ in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"p50": statistics.median(alone), "p95": percentile(alone, 0.95),
            "c_p50": statistics.median(times), "c_p95": percentile(times, 0.95),
            "rps": len(times) / wall, "errors": len(errors)}


def measure(name, url, env, args, large):
    print(f"  {name}: probing …", flush=True)
    probed = child(env, "probe", "large" if large else "demo")
    pages = [p for p in probed["pages"] if not args.only or any(o in p["name"] for o in args.only)]
    server = Server(env, args.workers)
    try:
        for page in pages:
            page.update(load(page["url"], probed["cookies"][page["role"]], args.requests, args.users,
                             args.per_user))
            print(f"    {page['role']:12} {page['name']:38} {page['statements']:3} SQL  "
                  f"{page['p50'] * 1000:7.0f} ms  {page['c_p95'] * 1000:7.0f} ms p95×{args.users}  "
                  f"{page['rps']:5.1f} req/s", flush=True)
    finally:
        server.stop()
    return probed["counts"], pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--requests", type=int, default=10, help="sequential requests per page (default 10)")
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--per-user", type=int, default=3, help="requests per concurrent user (default 3)")
    parser.add_argument("--only", type=lambda s: s.split(","), default=None,
                        help="comma-separated parts of page names to measure")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse the databases of a --keep run")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("pages_bench.py measures PostgreSQL: set DATABASE_URL to a server it may create "
                 "databases on.")
    work = Path("/tmp") / "pages_bench"
    static_root = work / "static"
    work.mkdir(exist_ok=True)
    secret = secrets.token_urlsafe(50)
    names = {"demo": "bench_pages_demo", "large": f"bench_pages_{args.tasks}"}
    urls = {key: database_url(base, name) for key, name in names.items()}
    envs = {key: environment(url, static_root, secret) for key, url in urls.items()}
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=envs["demo"], check=True,
                   cwd=ROOT)
    if not args.reuse:
        for name in names.values():
            admin_sql(base, f"DROP DATABASE IF EXISTS {name}")
            admin_sql(base, f"CREATE DATABASE {name}")
        started = time.perf_counter()
        child(envs["demo"], "build-demo")
        print(f"demo built in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        built = child(envs["large"], "build-large", args.tasks)
        print(f"{args.tasks:,} tasks built in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{t} {v['rows']:,} ({v['s']} s)" for t, v in built.items()), flush=True)
    else:  # a new day for the figures kept (the nightly job)
        for key in ("demo", "large"):
            child(envs[key], "keep-judgements")
    results = {}
    for key in ("demo", "large"):
        results[key] = measure(key, urls[key], envs[key], args, key == "large")
    (demo_counts, demo_pages), (large_counts, large_pages) = results["demo"], results["large"]
    demo_by = {(p["role"], p["name"]): p for p in demo_pages}
    print(f"\n{large_counts['tasks']:,} tasks (plan {large_counts['plan_tasks']:,}) vs the demo's "
          f"{demo_counts['tasks']} (plan {demo_counts['plan_tasks']}); "
          f"gunicorn {args.workers} workers, DEBUG off; "
          f"p50/p95 of {args.requests} requests alone, of {args.users}×{args.per_user} at once")
    print("| role | page | SQL (demo) | KB (demo) | p50 ms | p95 ms | p50 ×20 | p95 ×20 | req/s ×20 "
          "| ÷ demo p50 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for page in large_pages:
        demo = demo_by.get((page["role"], page["name"]))
        ratio = page["p50"] / demo["p50"] if demo else float("nan")
        status = "" if page["status"] == 200 else f" (HTTP {page['status']})"
        errors = f", {page['errors']} errors" if page["errors"] else ""
        print(f"| {page['role']} | {page['name']}{status} | {page['statements']} "
              f"({demo and demo['statements']}) | {page['bytes'] / 1024:.0f} "
              f"({demo and round(demo['bytes'] / 1024)}) | {page['p50'] * 1000:.0f} | "
              f"{page['p95'] * 1000:.0f} | {page['c_p50'] * 1000:.0f} | {page['c_p95'] * 1000:.0f} | "
              f"{page['rps']:.1f}{errors} | {ratio:.1f}× |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if not args.keep:
        for name in names.values():
            admin_sql(base, f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child_main(sys.argv[2:])
    else:
        main()
