#!/bin/sh
# A hot-standby streaming replica of the db service (docker-compose.yml, profile "replica"). On an
# empty volume it copies the primary with pg_basebackup (-R: standby.signal and primary_conninfo
# written for it), then runs PostgreSQL read-only, replaying the primary's WAL as it comes. To seed it
# again (it fell further behind than the primary's wal_keep_size), remove its volume:
#   docker compose --profile replica rm -sf db-replica && docker volume rm <project>_replica-data
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${PGPASSWORD:-}" ]; then
    echo "db-replica: set REPLICATION_PASSWORD in .env (and run primary-replication.sh on db)" >&2
    exit 1
  fi
  until pg_isready -h db -p 5432 -q; do sleep 1; done
  pg_basebackup -h db -p 5432 -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast --progress
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
