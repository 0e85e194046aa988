"""The primary's load with and without a streaming replica for the reports, dashboards and exports.

Starts a PostgreSQL primary and a hot-standby streaming replica of it (``pg_basebackup -R``) on free
loopback ports under /tmp, fills the primary with ``pages_bench.py``'s generated data (34 provinces,
three plans each, ``--tasks`` tasks with their assignments, periods, history, notifications and report
drafts) and waits until the replica has replayed it all. Then the same pages are requested the same
number of times twice, in a fresh process each time with the production settings (DEBUG off): once
with ``DATABASE_URL`` only, once with ``DATABASE_REPLICA_URL`` as well. For each run it prints what
each server did, from its own counters (``pg_stat_statements`` calls and execution time,
``pg_stat_database`` transactions, rows and buffers, over the database ``portal``, logging in and the
first request of each page excluded), and per page the statements each connection ran (counted in the
process) and the median time. One page is requested right after a POST (read-your-writes: it must stay
on the primary).

    .venv/bin/python bench/replica_bench.py [--tasks 50000] [--requests 10] [--keep]

Needs PostgreSQL's server binaries (Debian's ``postgresql``, with its ``pg_stat_statements``); as root,
the servers run as the user ``postgres``. Nothing else is needed: no DATABASE_URL, no Redis.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "portal"

# (role, name, URL, marked replica-safe). The plan is pages_bench's plan 1, of province 1.
PAGES = [
    ("leader", "overview", "/reports/", True),
    ("leader", "plan report", "/reports/plans/1/", True),
    ("leader", "ranking", "/reports/ranking/", True),
    ("admin", "overview", "/reports/", True),
    ("admin", "plan report", "/reports/plans/1/", True),
    ("admin", "plan report .xlsx", "/reports/plans/1/export.xlsx", True),
    ("admin", "plan tasks .csv", "/plans/1/export.csv", True),
    ("admin", "report documents", "/reports/documents/", True),
    ("admin", "report document", "/reports/documents/{report}/", True),
    ("admin", "home", "/", False),
    ("admin", "plan detail", "/plans/1/", False),
    ("focal point", "Việc của tôi", "/tasks/mine/", False),
]
USERS = {"leader": "ld36", "admin": "admin1", "focal point": "fp1"}
STICKY_PAGE = ("admin", "plan report, right after a POST", "/reports/plans/1/")


# The child: requests the pages in-process with the test client ----------------------------------


def probe(requests):
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import User
    from reports.models import Report

    aliases = [alias for alias in ("default", "replica") if alias in connections.settings]
    report = Report.objects.filter(plan_id=1).order_by("pk").first()
    clients = {}
    for role, username in USERS.items():
        clients[role] = Client(HTTP_HOST="127.0.0.1")
        clients[role].force_login(User.objects.get(username=username))

    def get(role, url):
        captured = [CaptureQueriesContext(connections[alias]) for alias in aliases]
        for capture in captured:
            capture.__enter__()
        started = time.perf_counter()
        response = clients[role].get(url, secure=True)
        spent = time.perf_counter() - started
        for capture in captured:
            capture.__exit__(None, None, None)
        assert response.status_code == 200, (url, response.status_code)
        return spent, {alias: len(capture) for alias, capture in zip(aliases, captured, strict=True)}

    pages = [(role, name, url.format(report=report.pk), marked) for role, name, url, marked in PAGES]
    for role, _name, url, _marked in pages:  # first-request work is not the page's
        get(role, url)
    connections.close_all()  # each server's counters are flushed when its session ends
    print("ready", flush=True)
    sys.stdin.readline()

    results = []
    for role, name, url, marked in pages:
        times, statements = [], {}
        for _ in range(requests):
            spent, counts = get(role, url)
            times.append(spent)
            statements = counts
        results.append({"role": role, "name": name, "marked": marked, "statements": statements,
                        "p50": sorted(times)[len(times) // 2]})
    role, name, url = STICKY_PAGE
    # A POST that succeeds (the language selector): for REPLICA_STICKY_SECONDS this browser reads on
    # the primary.
    clients[role].post("/i18n/setlang/", {"language": "vi", "next": "/"}, secure=True)
    spent, counts = get(role, url)
    results.append({"role": role, "name": name, "marked": True, "statements": counts, "p50": spent})
    connections.close_all()
    print(json.dumps(results), flush=True)


# The orchestrator -------------------------------------------------------------------------------------


def pg_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("replica_bench.py needs PostgreSQL's server binaries (apt-get install postgresql).")
    return found[-1].parent


def as_pg(*command, **kwargs):
    """Run a PostgreSQL binary (as the user postgres when we are root: initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=True, **kwargs)


def free_port():
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def sql(port, query, database="postgres"):
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
                          "-XAtqc", query], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def start(bindir, data, port, work):
    as_pg(bindir / "pg_ctl", "-D", data, "-l", data / "log", "-o",
          f"-h 127.0.0.1 -p {port} -k {work}", "-w", "start", stdout=subprocess.DEVNULL)


def stop(bindir, data):
    if (data / "postmaster.pid").exists():
        as_pg(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)


COUNTERS = f"""SELECT json_build_object(
    'statements', (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s
                   JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{DATABASE}'),
    'exec_ms', (SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements s
                JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{DATABASE}'),
    'transactions', xact_commit + xact_rollback, 'rows', tup_returned + tup_fetched,
    'buffers', blks_hit + blks_read, 'blocks_read', blks_read)
    FROM pg_stat_database WHERE datname = '{DATABASE}'"""


def counters(port):
    return json.loads(sql(port, COUNTERS))


def delta(after, before):
    return {key: after[key] - before[key] for key in after}


def environment(primary_url, replica_url, work, secret):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATABASE_REPLICA_URL",
                          "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=primary_url, SECRET_KEY=secret,
               ALLOWED_HOSTS="127.0.0.1", TRUSTED_PROXY="true", STATIC_ROOT=str(work / "static"),
               VAR_DIR=str(work / "var"), LOG_LEVEL="WARNING", CELERY_BROKER_URL="memory://")
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


def run_pages(env, requests, ports):
    """One probe process: (the servers' counters over its measured requests, its pages)."""
    child = subprocess.Popen([PYTHON, __file__, "--child", str(requests)], env=env, cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        sys.exit(f"the probe failed before measuring: {line}")
    time.sleep(1)  # the warm-up sessions' counters reach the statistics
    before = {name: counters(port) for name, port in ports.items()}
    started = time.perf_counter()
    child.stdin.write("go\n")
    child.stdin.flush()
    pages = json.loads(child.stdout.readline())
    wall = time.perf_counter() - started
    if child.wait(60) != 0:
        sys.exit("the probe failed")
    time.sleep(1)
    return {name: delta(counters(port), before[name]) for name, port in ports.items()}, pages, wall


def wait_for_replay(primary_port, replica_port):
    target = sql(primary_port, "SELECT pg_current_wal_lsn()")
    started = time.perf_counter()
    while sql(replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
        if time.perf_counter() - started > 120:
            sys.exit("the replica did not catch up within 2 minutes")
        time.sleep(0.2)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=10, help="requests per page and run (default 10)")
    parser.add_argument("--keep", action="store_true", help="leave the servers' folder under /tmp")
    args = parser.parse_args()
    bindir = pg_bin()
    work = Path(tempfile.mkdtemp(prefix="replica_bench.", dir="/tmp"))
    primary, replica = work / "primary", work / "replica"
    ports = {"primary": free_port(), "replica": free_port()}
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
    try:
        started = time.perf_counter()
        as_pg(bindir / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8", stdout=subprocess.DEVNULL)
        with open(primary / "postgresql.conf", "a") as conf:
            # wal_level=replica and WAL senders are PostgreSQL 15's defaults, written for the reader;
            # initdb's pg_hba.conf lets local replication connections in ("trust" here).
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                       "shared_preload_libraries = 'pg_stat_statements'\njit = off\nfsync = off\n")
        start(bindir, primary, ports["primary"], work)
        sql(ports["primary"], f"CREATE DATABASE {DATABASE}")
        sql(ports["primary"], "CREATE EXTENSION pg_stat_statements")
        as_pg(bindir / "pg_basebackup", "-h", "127.0.0.1", "-p", ports["primary"], "-U", "postgres",
              "-D", replica, "-R", "-X", "stream", "--checkpoint=fast")
        start(bindir, replica, ports["replica"], work)
        assert sql(ports["replica"], "SELECT pg_is_in_recovery()") == "t"
        print(f"primary on 127.0.0.1:{ports['primary']}, streaming replica on 127.0.0.1:{ports['replica']} "
              f"({time.perf_counter() - started:.1f} s)", flush=True)

        urls = {name: f"postgres://postgres@127.0.0.1:{port}/{DATABASE}" for name, port in ports.items()}
        secret = secrets.token_urlsafe(50)
        plain = environment(urls["primary"], None, work, secret)
        with_replica = environment(urls["primary"], urls["replica"], work, secret)
        started = time.perf_counter()
        built = subprocess.run([PYTHON, str(ROOT / "bench" / "pages_bench.py"), "--child", "build-large",
                                str(args.tasks)], env=plain, cwd=ROOT, check=True, capture_output=True,
                               text=True)
        tables = json.loads(built.stdout.strip().splitlines()[-1])
        replay = wait_for_replay(ports["primary"], ports["replica"])
        rows = ", ".join(f"{table} {built['rows']:,}" for table, built in tables.items() if built["rows"])
        print(f"{args.tasks:,} tasks built on the primary in {time.perf_counter() - started:.1f} s "
              f"({rows}); the replica caught up {replay:.1f} s after", flush=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=plain, cwd=ROOT,
                       check=True)

        runs = {}
        for key, env in (("primary only", plain), ("with the replica", with_replica)):
            print(f"{key}: {len(PAGES)} pages × {args.requests} requests …", flush=True)
            runs[key] = run_pages(env, args.requests, ports)
        report(runs, args)
    finally:
        for data in (replica, primary):
            stop(bindir, data)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(runs, args):
    (plain, plain_pages, plain_wall) = runs["primary only"]
    (split, split_pages, split_wall) = runs["with the replica"]
    print(f"\nServers' counters over {len(PAGES)} pages × {args.requests} requests (+1 page after a POST), "
          "database 'portal':")
    print("| | primary only | with the replica: primary | with the replica: replica | primary's load |")
    print("|---|---|---|---|---|")
    for key, label in (("statements", "statements (pg_stat_statements calls)"),
                       ("exec_ms", "execution time, ms"), ("transactions", "transactions"),
                       ("rows", "rows read (returned + fetched)"), ("buffers", "buffers (hit + read)")):
        before, after, off = plain["primary"][key], split["primary"][key], split["replica"][key]
        share = f"{after / before:.0%}" if before else "—"
        print(f"| {label} | {before:,.0f} | {after:,.0f} | {off:,.0f} | {share} |")
    print(f"| wall time of the run, s | {plain_wall:.1f} | {split_wall:.1f} | | |")
    print("\nPer page (statements of one request on each connection, median time of "
          f"{args.requests}):")
    print("| role | page | marked | primary only: SQL / ms "
          "| with the replica: primary SQL / replica SQL / ms |")
    print("|---|---|---|---|---|")
    for alone, split_page in zip(plain_pages, split_pages, strict=True):
        counts = split_page["statements"]
        print(f"| {alone['role']} | {alone['name']} | {'yes' if alone['marked'] else 'no'} | "
              f"{alone['statements']['default']} / {alone['p50'] * 1000:.0f} | "
              f"{counts['default']} / {counts.get('replica', 0)} / {split_page['p50'] * 1000:.0f} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(ROOT))
        probe(int(sys.argv[2]))
    else:
        main()
