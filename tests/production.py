"""The portal as the README's production runs it, in a child process: settings are read once per
process, and the test suite's own are the demo's (config.settings_test)."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

# docker-compose.yml's environment, but for the database (SQLite, so nothing needs to answer).
README_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),  # .env.example's command
    "ALLOWED_HOSTS": "portal.example.gov.vn,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.gov.vn",
    "SITE_URL": "https://portal.example.gov.vn",
    "REDIS_URL": "redis://redis:6379/0",
    "TRUSTED_PROXY": "true",
}


def run(code, env, tmp_path):
    """Runs ``code`` in a Python process with only ``env`` as the portal's environment (and the
    database, files and settings module it needs); the finished process."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


def read_settings(names, env, tmp_path):
    """The values of the settings ``names`` (None for those not set) under ``env``."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))"
    )
    finished = run(code, env, tmp_path)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.splitlines()[-1])
