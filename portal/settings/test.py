"""Test settings: fast hasher, eager Celery, locmem cache unless REDIS_URL given."""

import os
from typing import cast

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: F403
from .base import LOCAL_CACHE, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "local": LOCAL_CACHE}
# the chain's key of the test suite (a fixed one: tests may compute what a forger would)
AUDIT_KEY = "test-audit-key-0123456789abcdef0123456789abcdef"
AUDIT_KEY_ID = "test"
AUDIT_KEYS = {}
AXES_ENABLED = True
SECURE_SSL_REDIRECT = False
LANGUAGE_CODE = "zh-hans"

if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
    # A file, not memory: the live server of the browser tests then gives each of
    # its request threads a connection of its own, as in production. (An in-memory
    # test database shares one connection among all threads, and two requests at
    # once - a form posted while htmx still checks a field - collide on it.)
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"portal-test-{os.getpid()}.sqlite3"),
    }

if str(DATABASES["default"]["ENGINE"]).endswith("postgresql"):
    # pytest-django empties the database between transactional tests with TRUNCATE, which
    # the event log's statement trigger refuses unless the session says otherwise
    # (workflows' initial migration). Only these settings say it: no production
    # connection carries the option.
    _options = cast("dict[str, object]", DATABASES["default"].setdefault("OPTIONS", {}))
    _options["options"] = f"{_options.get('options', '')} -c portal.allow_truncate=on".strip()
