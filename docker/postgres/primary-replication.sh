#!/bin/sh
# The primary's side of streaming replication (docker-compose.yml, profile "replica"): a role
# "replicator" allowed to stream the WAL, and its pg_hba.conf line. Run by the postgres image on a new
# data volume (/docker-entrypoint-initdb.d); on an existing one, once by hand:
#   docker compose exec db sh /docker-entrypoint-initdb.d/primary-replication.sh
# Running it again changes nothing. Without REPLICATION_PASSWORD it does nothing.
set -eu
if [ -z "${REPLICATION_PASSWORD:-}" ]; then
  echo "primary-replication.sh: REPLICATION_PASSWORD is not set, no replication role created"
  exit 0
fi
psql -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d postgres -v password="$REPLICATION_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE replicator WITH REPLICATION LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
HBA="${PGDATA:-/var/lib/postgresql/data}/pg_hba.conf"
LINE="host replication replicator all scram-sha-256"
grep -qxF "$LINE" "$HBA" || echo "$LINE" >> "$HBA"
psql -U "${POSTGRES_USER:-postgres}" -d postgres -qc "SELECT pg_reload_conf()" >/dev/null
