"""Settings read from the environment.

There is no production-only settings file: production is this module plus
environment variables. With no variables at all the portal runs on SQLite with
Celery in eager mode (see README, "Reminders without Redis").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Parse postgres://user:pass@host:port/name into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not PostgreSQL")
    pool = env_bool("DATABASE_POOL", default=True)
    # Server settings for the portal's own sessions: its queries are short and many, and
    # on a small server the start-up of parallel workers and JIT compilation cost more
    # than they save (the dashboard's counts: 63 ms with workers, 22 ms without;
    # docs/performance.md). Long reports still run; set DATABASE_PG_OPTIONS to change.
    # (empty: none, e.g. behind a PgBouncer that does not pass startup options on)
    pg_options = os.environ.get("DATABASE_PG_OPTIONS",
                                "-c jit=off -c max_parallel_workers_per_gather=0")
    options: dict[str, object] = {"options": pg_options} if pg_options else {}
    if pool:
        options["pool"] = {
            "min_size": int(env("DATABASE_POOL_MIN", "1") or 1),
            "max_size": int(env("DATABASE_POOL_MAX", "10") or 10),
            "timeout": 10,
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # Persistent connections and psycopg pooling exclude each other.
        "CONN_MAX_AGE": 0 if pool else int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
        "OPTIONS": options,
    }


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production), "
            "or set DJANGO_DEBUG=1 for a development run."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105


def _local_audit_keys(path: Path) -> None:
    """A development run's audit key, from the git-ignored file ``./dev run`` writes once
    (``.env.local``): only its ``AUDIT_*`` lines, and never over the environment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        name, sep, value = line.strip().partition("=")
        if sep and name.startswith("AUDIT_"):
            os.environ.setdefault(name.strip(), value.strip())


if DEBUG:
    _local_audit_keys(BASE_DIR / ".env.local")

# The key of the case event log's chain (HMAC-SHA256, workflows.audit): it lives in the
# environment, never in the database, so that someone holding only the database cannot
# re-chain a rewritten history. AUDIT_KEY_ID names it in every event it signs (default: a
# fingerprint of the key); AUDIT_KEYS ("id:key,id:key", oldest first) are the keys of
# earlier epochs, kept so that the events they signed still verify (README, "AUDIT_KEY").
AUDIT_KEY = env("AUDIT_KEY")
if not AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_KEY is not set. Set it in the environment (production: a random value of "
            "at least 32 characters, e.g. `openssl rand -hex 32`), or set DJANGO_DEBUG=1 "
            "for a development run."
        )
    AUDIT_KEY = "dev-only-insecure-audit-key-do-not-use-in-production"
elif not DEBUG and len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "AUDIT_KEY is too short: use a random value of at least 32 characters "
        "(e.g. `openssl rand -hex 32`).")
AUDIT_KEY_ID = env("AUDIT_KEY_ID", "") or ""


def _audit_keys(text: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, key = item.partition(":")
        key_id, key = key_id.strip(), key.strip()
        if not sep or not key_id or not key or len(key_id) > 32:
            raise ImproperlyConfigured(
                "AUDIT_KEYS must read id:key,id:key (ids of at most 32 characters)")
        if key_id in keys:
            raise ImproperlyConfigured(f"AUDIT_KEYS names the key id {key_id!r} twice")
        keys[key_id] = key
    return keys


AUDIT_KEYS = _audit_keys(env("AUDIT_KEYS", "") or "")
if len(AUDIT_KEY_ID) > 32:
    raise ImproperlyConfigured("AUDIT_KEY_ID must be at most 32 characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "captcha",
    "django_filters",
    "guardian",
    "simple_history",
    "axes",
    "core",
    "portal",
    "workflows",
    "party",
    "decisions",
    "seals",
    "personnel",
    "subsidies",
    "safety",
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
    "portal.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # a view's 404/403 is the portal's own page in DEBUG too (the demo)
    "portal.middleware.OwnErrorPagesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
    # the covering indexes' INCLUDE columns are PostgreSQL's; SQLite (the demo) builds the
    # same indexes without them, which is all models.W040 says
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: a session untouched for this long is ended (portal.middleware).
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", "1800") or 1800)
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(12 * 3600)) or 12 * 3600)
SESSION_COOKIE_HTTPONLY = True

# django-axes: townships share one NAT address, so lock the (username, IP) pair.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30") or 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# axes logs every login at INFO ("AXES: Successful login …", and its settings at start-up):
# lock-outs and failures still reach the log as warnings
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# English dates as "5 Nov 2026, 14:00"; Chinese keeps Django's "2026年11月5日 14:00"
FORMAT_MODULE_PATH = ["core.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")) or "")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the limit on one attachment, checked by workflows.attachments too.
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)) or 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Redis: cache and Celery broker when REDIS_URL is set; otherwise local memory
# and eager Celery, with reminders fired by the sweep loop (see README).
REDIS_URL = env("REDIS_URL")
# Each process's own memory, for what is kept under a key that names its content (the
# inbox's rendered parts, portal.inbox): a repeat costs no round trip to Redis.
LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
               "LOCATION": "portal-local", "OPTIONS": {"MAX_ENTRIES": 2000}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "local": LOCAL_CACHE,
    }
    # Sessions read from the cache, written through to the database: a signed-in page no
    # longer begins with a session SELECT (docs/performance.md, "Inbox throughput"). Only
    # with Redis: a per-process cache would keep a session alive in one worker after a
    # logout in another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "local": LOCAL_CACHE}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
SWEEP_INTERVAL_SECONDS = int(env("SWEEP_INTERVAL_SECONDS", "180") or 180)
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "workflows.tasks.sweep_deadlines_task",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    # Register exports are kept for download EXPORT_KEEP_DAYS days, then removed.
    "purge-old-exports": {
        "task": "portal.tasks.purge_old_exports_task",
        "schedule": 6 * 3600.0,
    },
    # Nightly, in the quiet hours (local time): the dashboard's tallies recounted from
    # the cases, and every village's event chains re-hashed for the audit view.
    "recount-tallies": {
        "task": "workflows.tasks.recount_tallies_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "check-chains": {
        "task": "workflows.tasks.check_chains_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Just after midnight: yesterday's chain heads folded into one digest per township,
    # published on the boards and sent to the township (workflows.anchors). Twenty
    # minutes late, so that no action begun before midnight is still being written.
    "anchor-chains": {
        "task": "workflows.tasks.anchor_chains_task",
        "schedule": crontab(hour=0, minute=20),
    },
}
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS") or 7)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)

# Address that printed notices point their QR code to (the public board).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# The public board's objection form (django-simple-captcha): a small sum a villager works
# out at a glance, drawn upright and large; long enough to type an objection on a phone.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_FONT_SIZE = 34
CAPTCHA_IMAGE_SIZE = (180, 60)
CAPTCHA_LETTER_ROTATION = None
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_dots",)
CAPTCHA_TIMEOUT = 30  # minutes
# online objections to one notice accepted from one address per hour (then refused: 429)
BOARD_OBJECTIONS_PER_HOUR = int(env("BOARD_OBJECTIONS_PER_HOUR", "3") or 3)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.api_errors.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "portal.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_TOKEN_TTL_HOURS = int(env("API_TOKEN_TTL_HOURS", "72") or 72)

SPECTACULAR_SETTINGS = {
    "TITLE": "村(社区)履职事项全程纪实平台 API",
    "DESCRIPTION": "The village duty portal: procedures, cases, notifications, registers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # the interactive view (/api/docs/) from drf-spectacular-sidecar's vendored files: no CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the schema is for signed-in users (session or token); anonymous gets a 401
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # field names shared by different sets of values: one named enum each
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "workflows.choices.CaseState",
        "NoticeStateEnum": "workflows.choices.NoticeState",
        "RiskKindEnum": "workflows.serializers.RISK_KINDS",
        "ActionKindEnum": "workflows.serializers.ACTION_KINDS",
        "FieldTypeEnum": "workflows.serializers.FIELD_TYPES",
        "FieldFormatEnum": "workflows.serializers.FIELD_FORMATS",
        "LevelEnum": "core.roles.Level",
    },
}

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
