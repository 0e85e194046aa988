#!/usr/bin/env bash
# Serves the demo portal at http://127.0.0.1:8000 with a Celery worker and beat beside it, on the
# embedded defaults (SQLite, filesystem broker): nothing else needs to be installed or running.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo's settings, whatever the shell says: the portal itself defaults to DEBUG off.
export DEBUG=true
PY=${PY:-.venv/bin/python}
mkdir -p var/celery/queue var/celery/processed var/celery/results var/mail
# Both queues: the default one and "pdf" (report PDFs, converted by LibreOffice).
$PY -m celery -A config worker -B -Q celery,pdf -l warning --concurrency 2 >var/celery/worker.log 2>&1 &
CELERY_PID=$!
trap 'kill $CELERY_PID 2>/dev/null || true' EXIT INT TERM
echo "Celery worker and beat running (log: var/celery/worker.log)."
if ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  echo "OCR is not installed: scanned PDF plans cannot be read (install tesseract-ocr tesseract-ocr-vie)." >&2
fi
$PY manage.py runserver 127.0.0.1:8000
