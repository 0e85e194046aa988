"""Settings for the plan-tracking portal.

Everything an operator changes comes from the environment (see README, "Environment variables").
``DEBUG`` is off unless set. With ``DEBUG=true`` (what ``make run`` sets) the defaults run the demo on
one machine with nothing else installed: a SQLite file, e-mail written to files, and a Celery broker
on the filesystem.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Known to everyone who has read this file: the demo's only.
DEMO_SECRET_KEY = "demo-only-insecure-key"
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the demo's key: with DEBUG off, set a new random one.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "import_export",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "agencies",
    "plans",
    "tasks",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SlidingSessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.OversizedNumberMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tasks.context_processors.notifications",
                "config.context_processors.log_in",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the demo's SQLite file lives there
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~1.5 s a statement on the reminder scan's large INSERT ... SELECTs and
    # gains nothing on this portal's short queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A streaming replica of the primary (README, "Scaling past one machine"): the pages and jobs marked
# replica-safe (reports, dashboards, exports) read there; every write, every other read, and every
# read by a browser that wrote in the last REPLICA_STICKY_SECONDS stay on the primary
# (config.db_router). A replica that does not answer is not tried again for REPLICA_RETRY_SECONDS.
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 30)
if DATABASE_REPLICA_URL := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
    if {DATABASES["replica"]["ENGINE"], DATABASES["default"]["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for it and for DATABASE_URL.")
    # The primary's options (jit off), and a short connect timeout: a replica host that does not
    # answer costs a page two seconds once, then reads go to the primary.
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests see one database
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "config.db_router.ReplicaStickyMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out account or address before any password is hashed
# (hashing is what made a burst of guesses slow everyone's pages). Then Django's backend, plus the
# unread notification count loaded in the same query as the user.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "tasks.auth.PortalBackend"]

# Single sign-on through the province's OpenID Connect identity provider (agencies.sso; README,
# "Single sign-on"): on once OIDC_RP_CLIENT_ID is set, with the provider's endpoints (printed by
# ``manage.py sso_endpoints ISSUER``). LOCAL_LOGIN_ENABLED=false then leaves only the provider's
# log-in: no password is accepted anywhere, the password reset and change pages are gone.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
if not (SSO_ENABLED or LOCAL_LOGIN_ENABLED):
    raise ImproperlyConfigured(
        "LOCAL_LOGIN_ENABLED is false and OIDC_RP_CLIENT_ID is not set: nobody could log in."
    )


def _sso_setting(name):
    """Required once single sign-on is on; empty otherwise."""
    return env_str(name) if SSO_ENABLED else os.environ.get(name, "")


OIDC_RP_CLIENT_SECRET = _sso_setting("OIDC_RP_CLIENT_SECRET")
OIDC_OP_ISSUER = _sso_setting("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = _sso_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = _sso_setting("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = _sso_setting("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = _sso_setting("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", False)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_MATCH_VERIFIED_EMAIL = env_bool("OIDC_MATCH_VERIFIED_EMAIL", True)
# The button's words: "Đăng nhập bằng <name>".
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "")
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_return"
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("agencies.sso.ProvinceIdentityBackend")

# Log-in protection (django-axes): an account, and separately a client address, that fails
# LOGIN_FAILURE_LIMIT times is refused for LOGIN_LOCKOUT_MINUTES, counted again from each new
# failure; a superuser unlocks it sooner by deleting its row in the admin (Access attempts).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.security.client_address"
AXES_USERNAME_CALLABLE = "config.security.attempted_username"
# No start-up banner on every manage.py command.
AXES_VERBOSE = False
# Password reset e-mails an hour, per client address and per e-mail address (config.views).
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_ACCOUNT_LIMIT = env_int("PASSWORD_RESET_ACCOUNT_LIMIT", 3)

# A session ends when the browser closes, or after SESSION_IDLE_MINUTES without a request
# (config.middleware.SlidingSessionMiddleware moves its end with each request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60) * 60

# Vietnamese first; English for the few users (and developers) who need it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese offices write dates day first (dd/mm/yyyy) whatever the interface language.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files live under MEDIA_ROOT/evidence and are served only by tasks:evidence (no MEDIA_URL).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: files under var/mail for the demo, SMTP in production (EMAIL_URL-style settings).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Theo dõi kế hoạch <no-reply@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis when REDIS_URL / CELERY_BROKER_URL is set, else a broker on the filesystem so the
# demo runs a real worker and beat with no server (see README).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env_str(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
# The cache holds the password reset counters: in Redis when there is one, shared by every web
# process; else in the process's memory (the demo's single runserver). Short timeouts, so that a
# Redis that does not answer costs a request one second, not the system's TCP timeout.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Jobs report their progress in the database, so no caller waits for a result. Keeping results
# would also make every .delay() subscribe to the result backend first: with Redis down that blocks
# the web request for 20 s, instead of failing in under a second with a broker error it handles.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# PDF conversions (LibreOffice, up to two minutes each) have a queue of their own, "pdf": its worker
# caps how many run at once by its concurrency (PDF_CONCURRENCY in docker-compose.yml), and a burst
# of them never delays the reminders and imports of the default queue, "celery".
CELERY_TASK_ROUTES = {"reports.jobs.convert_pdf": {"queue": "pdf"}}
# Webhooks (agencies.webhooks): attempts per delivery, and the wait after the first failed one,
# four times longer after each next one (30 s, 2 min, 8 min, 32 min, 2 h 8 min).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)

# Appendix import: file limits, and above how many rows a file is read by a Celery job.
APPENDIX_MAX_BYTES = env_int("APPENDIX_MAX_BYTES", 10 * 1024 * 1024)
APPENDIX_MAX_ROWS = env_int("APPENDIX_MAX_ROWS", 20_000)
APPENDIX_INLINE_MAX_ROWS = env_int("APPENDIX_INLINE_MAX_ROWS", 2000)
# What a file may declare or unpack before it is refused, unread (plans.appendix.sheet.Limits).
APPENDIX_MAX_COLUMNS = env_int("APPENDIX_MAX_COLUMNS", 200)
APPENDIX_MAX_CELLS = env_int("APPENDIX_MAX_CELLS", 500_000)
APPENDIX_MAX_MERGED_CELLS = env_int("APPENDIX_MAX_MERGED_CELLS", 200_000)
APPENDIX_MAX_UNPACKED_BYTES = env_int("APPENDIX_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
APPENDIX_MAX_ELEMENTS = env_int("APPENDIX_MAX_ELEMENTS", 2_000_000)
APPENDIX_MAX_DOCUMENT_BYTES = env_int("APPENDIX_MAX_DOCUMENT_BYTES", 40 * 1024 * 1024)
APPENDIX_MAX_PAGES = env_int("APPENDIX_MAX_PAGES", 300)
APPENDIX_MAX_SCANNED_PAGES = env_int("APPENDIX_MAX_SCANNED_PAGES", 60)
# An import still "reading" or "committing" after this long is marked failed by the scan.
APPENDIX_IMPORT_STALE_MINUTES = env_int("APPENDIX_IMPORT_STALE_MINUTES", 15)
# Admin exports drop a leading "=" from text cells; the portal export neutralises = + - @ itself.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_PAGE_RANGE = 8
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# HTTPS. The portal sits behind the intranet's reverse proxy, which terminates TLS. Its
# X-Forwarded-Proto and X-Forwarded-For headers are believed only with TRUSTED_PROXY on, that is when
# nothing but the proxy can reach the portal: anyone else could write them.
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", False)
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The container's health check and the load balancer's call it over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Browsers' preload list takes public domains only, never an intranet's host name.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Django's defaults, written out because the README promises them: no Referer to other sites, no
# content-type sniffing, no framing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the portal only, no
# inline script. style-src allows style attributes (the widths of progress bars); browsers that know
# style-src-elem still refuse inline <style> elements. data: images are Bootstrap's SVG icons in CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# REST API v1 (config.api): session, personal access tokens and API keys; cursor pagination; a rate
# per key, token or user (and per address for anonymous calls), counted in the cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.permissions.ScopedAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttling.CredentialRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": f"{env_int('API_REQUESTS_PER_MINUTE', 120)}/min",
        "anon": f"{env_int('API_ANONYMOUS_REQUESTS_PER_MINUTE', 30)}/min",
    },
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Plan tracking portal API"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's validator: the intranet reaches no outside host, and the policy forbids it.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "persistAuthorization": False},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "config.api.schema.describe"],
    "ENUM_NAME_OVERRIDES": {"PlanStatus": "plans.models.PlanStatus", "TaskStatus": "tasks.models.TaskStatus"},
}

LOGGING_CONFIG = "config.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default logging gives "django" a console handler of its own (with DEBUG on), and
        # its records also reach the root's: every line was printed twice. Root's handler only.
        "django": {"handlers": [], "level": "INFO"},
        # django-axes says "login failed" and "cleaned up" at INFO for every attempt; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
