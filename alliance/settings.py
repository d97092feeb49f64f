"""Alliance settings: one module, every knob an environment variable with a working default.

Every variable is listed in `.env.example`. Nothing here touches the disk except reading the
local secret key file, and that only when SECRET_KEY is not given.
"""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ALLIANCE_DATA_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """A variable (empty counts as unset), or the contents of the file named by NAME_FILE (for container secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once and kept beside the data, so sessions survive restarts."""
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def email_settings(url: str) -> dict:
    """The MAILERS entry for EMAIL_URL: smtp://user:pass@host:port (smtps:// or ?tls=1 for TLS),
    submission://host (STARTTLS on 587), console:, file:///path, memory:."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": parts.path or str(DATA_DIR / "mail")},
        }
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[scheme],
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": scheme == "smtps",
                "use_tls": scheme == "submission" or query.get("tls", ["0"])[0] in {"1", "true"},
                "timeout": envint("EMAIL_TIMEOUT", 30),
            },
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not one of smtp, smtps, submission, console, file, memory"
    )


DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLIANCE_NAME = env("ALLIANCE_NAME", "Intermountain STEM Alliance")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps come before allauth so that our templates (allauth/layouts/*) take precedence.
    "alliance.core",
    "alliance.network",
    "alliance.measure",
    "alliance.api",
    "django_htmx",
    "simple_history",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "django_rq",
    # Listed so /api/docs serves Swagger UI from our own static files (the CSP forbids CDNs).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "alliance.core.context_processors.alliance",
            ],
        },
    },
]

# Database: an embedded SQLite file by default (WAL, so the worker and the web process share it),
# PostgreSQL via DATABASE_URL for real deployments.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'alliance.sqlite3'}")
# Connections are kept between requests (a new PostgreSQL connection costs a few milliseconds, a
# new SQLite one its PRAGMAs), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 600), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
# Tests: a file for SQLite (the browser and worker tests run the worker in another process);
# TEST_DB_NAME gives parallel runs their own database.
DATABASES["default"]["TEST"] = {
    "NAME": env("TEST_DB_NAME", "")
    or (str(DATA_DIR / "test.sqlite3") if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(url: str) -> dict:
    """CACHE_URL: file:///path (default: shared by every process on this machine), redis://host:port/db,
    or locmem: (one process only)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": parts.path}
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "alliance"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parts.scheme!r} is not one of file, redis, locmem")


# The cache holds rate-limit counters, so web processes must share it: a file cache by default.
CACHES = {"default": cache_settings(env("CACHE_URL") or f"file://{DATA_DIR / 'cache'}")}

# Background work: Django's tasks framework. The database-backed worker is the default
# (`alliance worker`); TASK_BACKEND=rq sends tasks to Redis workers (`alliance worker --rq`).
TASK_BACKEND = env("TASK_BACKEND", "database")
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": TASK_BACKENDS[TASK_BACKEND]}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# Mail: one mailer, "default", set by EMAIL_URL (Django 6.1 MAILERS; the EMAIL_* connection settings
# are deprecated). Our mail.send and allauth's sign-in codes and password resets all go through it;
# under tests Django swaps the memory backend in for it (mail.outbox).
EMAIL_URL = env("EMAIL_URL", "console:")
MAILERS = {"default": email_settings(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Intermountain STEM Alliance <hello@alliance.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A welcome claimed by a worker that died is handed to another after this many seconds.
WELCOME_LEASE_SECONDS = envint("WELCOME_LEASE_SECONDS", 300)
# Likely duplicate people are scored again by the worker this many seconds after people change
# (one run for a burst of changes).
DUPLICATES_DELAY_SECONDS = envint("DUPLICATES_DELAY_SECONDS", 30)
# How often a running worker looks for work left half-done; work overdue by this long is re-queued.
WORKER_SWEEP_SECONDS = envint("WORKER_SWEEP_SECONDS", 300)

# Accounts (django-allauth): email only, login by a mailed code as well as by password.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# An account reaches a member's record (and their roles) only through an address it has verified:
# verification is mandatory, and the link is made when the address is verified (network/accounts.py).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, login and password reset answer alike whether an address has an account or not.
ACCOUNT_PREVENT_ENUMERATION = True
# One address per account; a new one replaces the old once verified, and the member's record follows.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "alliance.network.accounts.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# Public forms: sign-ups allowed per IP address per hour.
JOIN_RATE_PER_HOUR = envint("JOIN_RATE_PER_HOUR", 20)
# Days a sign-up's confirmation link works (once).
SIGNUP_TOKEN_DAYS = envint("SIGNUP_TOKEN_DAYS", 7)


def trusted_proxies(name: str) -> list[str]:
    """Addresses or networks (CIDR) of our own reverse proxies, checked at start."""
    entries = envlist(name, "")
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP address or network") from exc
    return entries


# The proxies whose X-Forwarded-For is believed (for rate limits and recorded addresses); empty: none.
TRUSTED_PROXIES = trusted_proxies("TRUSTED_PROXIES")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "alliance" / "locale"]
TIME_ZONE = env("TIME_ZONE", "America/Denver")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Files are served from the finders (app static, node_modules); set STATIC_ROOT only to collectstatic.
STATIC_ROOT = env("STATIC_ROOT") or None
# Front-end packages come from npm (package-lock.json) and are served straight from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/axe", NODE_MODULES / "axe-core"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded import files: the largest accepted, in megabytes.
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Imports (read by the worker, never in a request): most data rows in one file; most megabytes an
# XLSX may unpack to; how long a worker holds an import between two batches before it counts as dead
# and another worker resumes it; rows stored per transaction.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_UNCOMPRESSED_MB = envint("IMPORT_MAX_UNCOMPRESSED_MB", 200)
IMPORT_LEASE_SECONDS = envint("IMPORT_LEASE_SECONDS", 120)
IMPORT_BATCH_SIZE = envint("IMPORT_BATCH_SIZE", 500)

# Shared measurement: counts under the threshold are never shown (a state may set its own); the
# analytics store keeps one Parquet file per loaded dataset; state files up to MEASURE_MAX_FILE_MB.
MEASURE_SUPPRESSION_THRESHOLD = envint("MEASURE_SUPPRESSION_THRESHOLD", 10)
MEASURE_STORE_DIR = Path(env("MEASURE_STORE_DIR") or DATA_DIR / "measure")
MEASURE_MAX_FILE_MB = envint("MEASURE_MAX_FILE_MB", 100)
MEASURE_LEASE_SECONDS = envint("MEASURE_LEASE_SECONDS", 600)

# Security: secure cookies and HSTS behind TLS, a strict Content Security Policy everywhere.
SECURE_TLS = envbool("SECURE_TLS", False)
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
SECURE_SSL_REDIRECT = SECURE_TLS
SECURE_HSTS_SECONDS = 31536000 if SECURE_TLS else 0
if SECURE_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
