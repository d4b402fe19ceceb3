"""Settings for the advisor, read from the environment.

A fresh checkout runs with no configuration at all: DEBUG on, a development secret key and a
SQLite file next to the code. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and SITE_ORIGIN
(and usually DATABASE_URL); see the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105

# Earlier keys, comma-separated, still accepted after SECRET_KEY is rotated: signed cookies and
# share links made with them keep working until a key is dropped from here (README, "Rotating
# SECRET_KEY").
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")

# Links written into pages and PDFs are built from this origin, never from the Host header.
SITE_ORIGIN = os.environ.get("SITE_ORIGIN", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_ORIGIN)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "advisor.assessments",
    "advisor.reports",
    # The database backend and worker (`manage.py db_worker`) for Django's tasks framework.
    "django_tasks_db",
    # The JSON API's docs page: Swagger UI from ninja's static files rather than a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: they get the same security headers
    # (nosniff, Referrer-Policy, X-Frame-Options, Content-Security-Policy) as pages.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so its 429 answers still get the security headers above.
    "advisor.web.middleware.RateLimitMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "advisor.web.context_processors.site",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    # In production each worker keeps its connection between requests: a new PostgreSQL
    # connection costs milliseconds, more than a whole cached page. In development every request
    # gets a fresh one. CONN_HEALTH_CHECKS=1 pings a kept connection before each request's first
    # query: one more round trip per request (on PostgreSQL about a tenth of a millisecond when
    # idle, more under load), against one failed request per worker after a database restart.
    config = dj_database_url.parse(
        url,
        conn_max_age=envint("CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=envbool("CONN_HEALTH_CHECKS", False),
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and a writer work at once; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue on the busy timeout instead of failing
        # with "database is locked" half-way through.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": database_from_env()}

# One cache that every app process shares (rate limits): a database table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "advisor_cache",
        "TIMEOUT": 60 * 60 * 24 * 7,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # What each app process keeps of its own renders (report sections, charts, form fields),
    # keyed by what they depend on; the same in debug and production.
    "renders": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "advisor-renders",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": envint("RENDER_CACHE_ENTRIES", 2000)},
    },
}


LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not envbool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", False)
# How many proxies in front append to X-Forwarded-For (advisor.web.ratelimit takes the client
# address from there); 0 means the connecting address is the client. One by default behind a
# TLS proxy, none otherwise.
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 1 if BEHIND_TLS_PROXY else 0)

# (requests, seconds) per client address; a limit of 0 turns the limit off.
RATE_LIMITS = {
    "token-lookup": (envint("RATE_LIMIT_TOKEN_LOOKUPS", 300), 60),
    "create-assessment": (envint("RATE_LIMIT_NEW_ASSESSMENTS", 30), 3600),
    # New PDF renders per assessment (its edit and share links together), whoever asks.
    "pdf-render": (envint("RATE_LIMIT_PDF_RENDERS", 20), 3600),
}

# Background work (PDF renders) on Django's tasks framework. The database backend keeps the
# queue in a table of the app's own database; `manage.py db_worker` runs it (`make run` and
# `make serve-production` start one).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Rendered PDFs are files under this folder, one per distinct document, bounded in total size:
# past the bound the least recently downloaded go first.
PDF_STORAGE_DIR = Path(os.environ.get("PDF_STORAGE_DIR", "") or BASE_DIR / "var" / "pdfs")
PDF_STORAGE_MAX_BYTES = envint("PDF_STORAGE_MAX_MB", 200) * 1024 * 1024
# A render not finished after this long is taken as lost (a worker killed mid-render) and may
# be queued again.
PDF_RENDER_STALE_SECONDS = envint("PDF_RENDER_STALE_SECONDS", 300)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "advisor.web.redaction.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces the handlers Django attaches to "django" by default (a debug-mode console
        # without the redacting filter): its records go to the root's console like the rest.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

CSRF_FAILURE_VIEW = "advisor.web.errors.csrf_failure"
