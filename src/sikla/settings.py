"""One settings module, driven by environment variables.

Safe runnable defaults (SQLite next to the working directory, DEBUG off); production switches are
environment variables, never a second settings file. Helpers fail loudly on malformed values.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# An empty SIKLA_DATA_DIR is no setting (as for every variable here), not the current folder: the
# keys it holds must never land beside the code, in a checkout.
DATA_DIR = Path(env_str("SIKLA_DATA_DIR") or Path.cwd() / "var").resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")


def _per_installation_secret(name: str, make) -> str:
    """A secret kept next to the data when no variable sets it: a demo runs with no setup and
    survives restarts. Production sets the variable explicitly."""
    key_file = DATA_DIR / name
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    key_file.write_text(value)
    key_file.chmod(0o600)
    return value


# Children's and reporters' identities are encrypted with these Fernet keys (comma-separated;
# the first encrypts, all decrypt). Keep them out of database backups.
def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


PROTECTION_KEYS = env_list("SIKLA_PROTECTION_KEY", []) or [
    _per_installation_secret("protection_key", _new_fernet_key)
]
if not SECRET_KEY:
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = _per_installation_secret("secret_key", get_random_secret_key)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "sikla.ops",
    "sikla.core",
    "sikla.regions",
    "sikla.accounts",
    "sikla.organisations",
    "sikla.indicators",
    "sikla.collection",
    "sikla.evaluation",
    "sikla.protection",
    "sikla.planning",
    "sikla.villages",
    "sikla.participation",
    "sikla.dashboards",
    "sikla.api",
    "sikla.demo",
]

MIDDLEWARE = [
    "sikla.ops.logs.RequestIdMiddleware",
    "sikla.ops.metrics.MetricsMiddleware",
    # Pages go compressed to browsers that ask (a 852-village grid: 580 kB → ~40 kB), files that
    # are compressed already as they are; above every middleware that reads or rewrites a body,
    # so it compresses their final answer.
    "sikla.core.middleware.CompressionMiddleware",
    # The language first, then the API's error shape around every refusal below it.
    "sikla.core.middleware.ChosenLanguageMiddleware",
    "sikla.core.middleware.ApiErrorShapeMiddleware",
    "sikla.core.middleware.RequestSizeMiddleware",
    "sikla.core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Protection roles signed out when idle; then the second factor (sikla.accounts.middleware).
    "sikla.accounts.middleware.IdleSignOutMiddleware",
    "sikla.accounts.middleware.SecondFactorMiddleware",
    # Times shown and read in the zone of the local government the request is about.
    "sikla.core.middleware.LocalTimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sikla.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "sikla.ops.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "sikla.urls"
WSGI_APPLICATION = "sikla.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sikla.core.context_processors.navigation",
            ],
        },
    }
]
# Widgets written in Python, the same HTML as Django's templates (sikla.core.renderers).
FORM_RENDERER = "sikla.core.renderers.FastRenderer"


def _database(url: str) -> dict:
    """The database of a URL; on PostgreSQL with the server's JIT compiler off (an `options` of
    the URL's own comes after, so it can turn it back on). The roll-ups' and the statistics'
    queries cost more than the JIT's threshold yet run in tens of milliseconds: compiling them
    took longer than it saved (benchmarks/national.py on national data: the national roll-up per
    question 250 → 203 ms p50, where points are lost 135 → 98 ms, most routes faster, none slower
    beyond the spread of the runs)."""
    database = dj_database_url.parse(url, conn_max_age=60)
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"-c jit=off {options.get('options', '')}".strip()
    return database


# Database: DATABASE_URL (PostgreSQL in production and CI); embedded SQLite otherwise.
# DATABASE_REPLICA_URL: a streaming replica that the heavy read-only pages read from
# (sikla.ops.replica); everything else, and every write, stays on the primary.
_database_url = env_str("DATABASE_URL")
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url and not _database_url:
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) as well")


if _database_url:
    DATABASES = {"default": _database(_database_url)}
    if _replica_url:
        DATABASES["replica"] = {**_database(_replica_url), "TEST": {"MIRROR": "default"}}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "sikla.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["sikla.ops.replica.ReplicaRouter"]
READ_REPLICA = "replica" in DATABASES

# Rate limits and caches: Redis when REDIS_URL is set; with PostgreSQL and no Redis, a table of
# the database (`sikla serve` and `sikla worker` create it), so several processes or servers
# always share one truth; process memory only for the embedded single-process default.
_redis_url = env_str("REDIS_URL")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
elif _database_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sikla_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions and login lockouts (django-axes) are rows of the database: shared by every process.
# A session is read from the cache (Redis when deployed) and written through to its row, so a
# page does not query the session table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (sikla.ops.tasks): PostgreSQL → the durable queue table that `sikla worker`
# serves; the embedded SQLite default → each job runs at once in the process that asks for it.
# SIKLA_TASKS=database|immediate overrides.
_tasks = env_str("SIKLA_TASKS", "database" if _database_url else "immediate")
if _tasks not in {"database", "immediate"}:
    raise ImproperlyConfigured(f"SIKLA_TASKS must be database or immediate, got {_tasks!r}")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if _tasks == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
# Periodic jobs, enqueued by `sikla worker` once per day at this local hour (sikla.ops.schedule).
REMINDER_HOUR = env_int("SIKLA_REMINDER_HOUR", 7)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "sikla.accounts.throttle.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and over every account, per client address and overall (sikla.accounts.throttle)
LOGIN_FAILURES_PER_ADDRESS = env_int("SIKLA_LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURES_OVERALL = env_int("SIKLA_LOGIN_FAILURES_OVERALL", 2000)
LOGIN_FAILURE_WINDOW = env_int("SIKLA_LOGIN_FAILURE_WINDOW_MINUTES", 15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sikla.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "sikla.ops.client.client_address"

# A second factor (TOTP from an authenticator app, or a one-time recovery code) for the roles in
# sikla.accounts.rules.SECOND_FACTOR_ROLES: enrolment at first login, asked at every login and
# before an API token is issued. Switching it off is an operator's explicit decision.
SECOND_FACTOR_REQUIRED = env_bool("SIKLA_SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("SIKLA_OTP_ISSUER", "SIKLA")
SECOND_FACTOR_RECOVERY_CODES = 10
# Case workers and supervisors are signed out after this many minutes without a request.
PROTECTION_IDLE_MINUTES = env_int("SIKLA_PROTECTION_IDLE_MINUTES", 30)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# `sikla serve` sets SIKLA_PRODUCTION: static files collected once, compressed and named by their
# content (cache-busting, cached for a year); the development server finds them in place.
PRODUCTION = env_bool("SIKLA_PRODUCTION", False)


# Uploaded files (evidence, meeting and case documents, logos, reports): the local disk
# (MEDIA_ROOT), or S3-compatible object storage with SIKLA_STORAGE_URL. Files are never public:
# they leave through SIKLA's permission-checked views; case documents are encrypted first.
def _file_storage(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "SIKLA_STORAGE_URL must look like s3://KEY:SECRET@BUCKET/prefix?endpoint=https://…"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": parts.hostname,
            "location": parts.path.strip("/"),
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "endpoint_url": query.get("endpoint") or None,
            "region_name": query.get("region") or None,
            "addressing_style": query.get("addressing", "path"),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }


_storage_url = env_str("SIKLA_STORAGE_URL")
STORAGES = {
    "default": _file_storage(_storage_url)
    if _storage_url
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"  # never served directly: files go out through permission-checked views
MAX_UPLOAD_MB = env_int("SIKLA_MAX_UPLOAD_MB", 20)
# The public complaint form: at most this many reports per client per hour, files of at most
# COMPLAINT_MAX_UPLOAD_MB each, and no faster than a person can type (seconds).
COMPLAINT_RATE_LIMIT = env_int("SIKLA_COMPLAINT_RATE_LIMIT", 5)
COMPLAINT_MAX_FILES = 3
COMPLAINT_MAX_UPLOAD_MB = env_int("SIKLA_COMPLAINT_MAX_UPLOAD_MB", 5)
COMPLAINT_MIN_SECONDS = env_int("SIKLA_COMPLAINT_MIN_SECONDS", 3)
# Public consultation comments per client per hour (they wait for moderation anyway).
PUBLIC_COMMENT_RATE_LIMIT = env_int("SIKLA_PUBLIC_COMMENT_RATE_LIMIT", 10)
# An emergency opening of an unassigned case ("akses darurat") lasts this long.
BREAK_GLASS_HOURS = env_int("SIKLA_BREAK_GLASS_HOURS", 4)
# A report with more evidence documents than this is made in the background, with progress.
REPORT_BACKGROUND_EVIDENCE = env_int("SIKLA_REPORT_BACKGROUND_EVIDENCE", 300)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# E-mail goes out only when a mail server is configured (EMAIL_HOST); otherwise notifications
# stay in the app and nothing is printed or queued.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sikla@localhost")
SIKLA_BASE_URL = env_str("SIKLA_BASE_URL", "http://127.0.0.1:8000")  # for links in e-mails

# Security switches: on by variables in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# `sikla serve` (PRODUCTION) defaults to what a deployment behind HTTPS needs: cookies only over
# HTTPS and a year of HSTS. A trial on plain http (bin/stack, the benchmark) says so explicitly
# with SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes on the host itself
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# Preloading is a decision about the whole domain (e.g. kupangkota.go.id), taken by its owner
# with the browser vendors, not by one application on a subdomain.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy: how many trusted proxies stand before SIKLA (nginx: 1). The client's
# address is the one the outermost of them added to X-Forwarded-For (sikla.ops.client).
TRUSTED_PROXIES = env_int("SIKLA_TRUSTED_PROXIES", 1 if env_bool("BEHIND_PROXY", False) else 0)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

# /metrics (Prometheus): from these networks, or with `Authorization: Bearer SIKLA_METRICS_TOKEN`.
METRICS_ALLOW = env_list("SIKLA_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])
METRICS_TOKEN = env_str("SIKLA_METRICS_TOKEN")

NINJA_PAGINATION_PER_PAGE = 50
# Closed cases lose their identities this many years after the youngest child turns 18.
PROTECTION_RETENTION_YEARS = env_int("SIKLA_PROTECTION_RETENTION_YEARS", 10)
API_TOKEN_DAYS = env_int("SIKLA_API_TOKEN_DAYS", 30)
API_TOKEN_DAYS_PROTECTION = env_int(
    "SIKLA_API_TOKEN_DAYS_PROTECTION", 7
)  # case workers, supervisors

# Logs: one JSON object a line with the request id under `sikla serve` (SIKLA_LOG_FORMAT=json),
# readable text for the development server; identities are masked either way (sikla.ops.logs).
LOG_FORMAT = env_str("SIKLA_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"SIKLA_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "sikla.ops.logs.JsonFormatter"},
        "text": {
            "()": "sikla.ops.logs.TextFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Errors are logged by sikla.request and the handlers; Django's own request lines repeat
        # them with the path.
        "django.request": {"level": "ERROR"},
        # One line per request in production; the development server prints its own.
        "sikla.request": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}
