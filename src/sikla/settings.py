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


DATA_DIR = Path(env_str("SIKLA_DATA_DIR", str(Path.cwd() / "var"))).resolve()

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
]

MIDDLEWARE = [
    "sikla.core.middleware.RejectNulMiddleware",
    "sikla.core.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sikla.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sikla.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
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

# Database: DATABASE_URL (PostgreSQL in production and CI); embedded SQLite otherwise.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
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

# Rate limits live in the cache: in memory for one process (the default setup), Redis when
# REDIS_URL is set (several processes or servers share the counts).
_redis_url = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
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
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sikla.accounts.lockout.lockout_response"
AXES_VERBOSE = False

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
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
# An emergency ("break the glass") opening of an unassigned case lasts this long.
BREAK_GLASS_HOURS = env_int("SIKLA_BREAK_GLASS_HOURS", 4)
# A report with more evidence documents than this is made in the background, with progress.
REPORT_BACKGROUND_EVIDENCE = env_int("SIKLA_REPORT_BACKGROUND_EVIDENCE", 300)
# "thread": a worker thread of the web process makes it; "command": `sikla run-report-jobs` does.
REPORT_RUNNER = env_str("SIKLA_REPORT_RUNNER", "thread")
if REPORT_RUNNER not in {"thread", "command"}:
    raise ImproperlyConfigured(
        f"SIKLA_REPORT_RUNNER must be thread or command, got {REPORT_RUNNER!r}"
    )
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
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

NINJA_PAGINATION_PER_PAGE = 50
API_TOKEN_DAYS = env_int("SIKLA_API_TOKEN_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines may carry query strings; identities never go into URLs, but keep noise low.
        "django.request": {"level": "ERROR"},
    },
}
