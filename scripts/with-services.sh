#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL and Redis on 127.0.0.1, unless DATABASE_URL / REDIS_URL
# already point somewhere. Installs the servers (and Chromium for the browser tests) with apt-get
# when they are missing and we are root.
# Usage: scripts/with-services.sh COMMAND [ARGS...]
set -euo pipefail

PG_PORT=${PG_PORT:-54329}
REDIS_PORT=${REDIS_PORT:-63799}
WORK=$(mktemp -d /tmp/portal-services.XXXXXX)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

need_install=()
[ -n "${DATABASE_URL:-}" ] || [ -x "$PG_BIN/initdb" ] || need_install+=(postgresql)
[ -n "${REDIS_URL:-}" ] || command -v redis-server >/dev/null || need_install+=(redis-server)
[ -x /usr/bin/chromium ] || need_install+=(chromium)  # the browser tests drive Debian's Chromium
# Scanned plans are read by Tesseract with its Vietnamese model (the OCR tests draw pages in DejaVu);
# without them, and not root, those tests are skipped.
optional=()
tesseract --list-langs 2>/dev/null | grep -qx vie || optional+=(tesseract-ocr tesseract-ocr-vie)
command -v pdftoppm >/dev/null || optional+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || optional+=(fonts-dejavu-core)
if [ ${#optional[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    need_install+=("${optional[@]}")
  else
    echo "Not installed: ${optional[*]} — the OCR tests will be skipped." >&2
  fi
fi
if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${need_install[*]}: install them (apt-get install ${need_install[*]}) or set DATABASE_URL and REDIS_URL." >&2
    exit 1
  fi
  echo "Installing ${need_install[*]} ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_pg() {
  # initdb refuses to run as root: run PostgreSQL as the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -f "$WORK/pg/PG_VERSION" ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  mkdir -p "$WORK/pg"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$WORK" && chmod 700 "$WORK/pg"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # No autovacuum on a throwaway server: vacuuming a table the tests have just emptied records it as
  # empty (reltuples 0), and the planner then joins the next test's hundreds of rows as if each table
  # held one (nested loops of the state's subqueries: minutes for a query that takes milliseconds).
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -o "-h 127.0.0.1 -p $PG_PORT -k $WORK/pg -F -c autovacuum=off" \
    -w start >/dev/null
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database portal" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/portal"
fi
if [ -z "${REDIS_URL:-}" ]; then
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$WORK" --pidfile "$WORK/redis.pid" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
fi

echo "PostgreSQL: $DATABASE_URL  Redis: $REDIS_URL"
"$@"
