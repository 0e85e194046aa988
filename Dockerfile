# Production image for the portal: gunicorn serves Django, WhiteNoise serves the static files,
# and the same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=false \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

WORKDIR /app

# An unprivileged user. The code stays owned by root, so the app can write only to /app/var,
# which is also its home (gunicorn puts its control socket in ~/.gunicorn). The uploaded evidence
# files under /app/var/media are a volume in docker-compose.yml.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app/var --no-create-home --shell /usr/sbin/nologin app

# LibreOffice converts the .docx progress reports to PDF (fonts-liberation: Times New Roman metrics);
# Tesseract with its Vietnamese model reads scanned plans.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation \
    tesseract-ocr tesseract-ocr-vie poppler-utils \
 && rm -rf /var/lib/apt/lists/*

# Install the dependencies in their own layer, so a code change doesn't reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# The static files are collected once, at build time, into STATIC_ROOT and served by WhiteNoise.
# The SECRET_KEY here is a throwaway used only by this command. It isn't stored in the image
# environment, so the real key must come from the environment when the container runs.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-not-a-secret python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown -R app:app /app/var

USER app
EXPOSE 8000

# gunicorn reads the worker count from WEB_CONCURRENCY (default 3 above). Access log goes to stdout.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
