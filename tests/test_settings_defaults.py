"""Safe defaults: DEBUG off unless set, the demo's key refused with DEBUG off, HTTPS settings on in
production, the proxy's headers believed only when told to, and `check --deploy` silent."""

from tests.production import README_PRODUCTION, read_settings, run

DEMO_KEY = "demo-only-insecure-key"


def test_debug_is_off_unless_set(tmp_path):
    env = {"SECRET_KEY": README_PRODUCTION["SECRET_KEY"]}

    assert read_settings(["DEBUG"], env, tmp_path) == {"DEBUG": False}


def test_without_debug_a_secret_key_is_required(tmp_path):
    finished = run("import config.wsgi", {}, tmp_path)

    assert finished.returncode != 0
    assert "Set the environment variable SECRET_KEY." in finished.stderr


def test_the_server_refuses_to_start_with_the_demo_key_and_debug_off(tmp_path):
    finished = run("import config.wsgi", {"DEBUG": "false", "SECRET_KEY": DEMO_KEY}, tmp_path)

    assert finished.returncode != 0
    assert "SECRET_KEY is the demo's key" in finished.stderr


def test_the_demo_runs_with_debug_on_and_nothing_else_set(tmp_path):
    values = read_settings(["DEBUG", "SECRET_KEY"], {"DEBUG": "true"}, tmp_path)

    assert values == {"DEBUG": True, "SECRET_KEY": DEMO_KEY}


def test_production_cookies_are_https_only(tmp_path):
    values = read_settings(["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"], README_PRODUCTION, tmp_path)

    assert values == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}


def test_production_sends_hsts_for_a_year_by_default(tmp_path):
    values = read_settings(["SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"], README_PRODUCTION, tmp_path)

    assert values == {"SECURE_HSTS_SECONDS": 31_536_000, "SECURE_SSL_REDIRECT": True}


def test_hsts_is_configurable(tmp_path):
    env = {**README_PRODUCTION, "SECURE_HSTS_SECONDS": "3600"}

    assert read_settings(["SECURE_HSTS_SECONDS"], env, tmp_path) == {"SECURE_HSTS_SECONDS": 3600}


def test_the_proxys_https_header_is_believed_only_behind_a_trusted_proxy(tmp_path):
    env = {**README_PRODUCTION, "TRUSTED_PROXY": "false"}

    assert read_settings(["SECURE_PROXY_SSL_HEADER"], env, tmp_path) == {"SECURE_PROXY_SSL_HEADER": None}


def test_behind_a_trusted_proxy_its_https_header_is_believed(tmp_path):
    values = read_settings(["SECURE_PROXY_SSL_HEADER"], README_PRODUCTION, tmp_path)

    assert values == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_the_idle_time_of_a_session_is_configurable(tmp_path):
    env = {**README_PRODUCTION, "SESSION_IDLE_MINUTES": "30"}

    assert read_settings(["SESSION_COOKIE_AGE"], env, tmp_path) == {"SESSION_COOKIE_AGE": 1800}


def test_check_deploy_with_the_readmes_production_settings_reports_nothing(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'DEBUG'])"
    )
    finished = run(code, README_PRODUCTION, tmp_path)

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith("System check identified no issues")
