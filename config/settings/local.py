"""`make run`: SQLite and a Celery broker on the file system; nothing to install or start."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, VAR_DIR
from .broker import filesystem_broker_options

# A visitor sees what production shows (no technical 404 listing every URL pattern); COLLEGE_DEBUG=1 for
# Django's debug pages while developing.
DEBUG = os.environ.get("COLLEGE_DEBUG") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SERVE_MEDIA = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "OPTIONS": {
            # web, worker and beat share the file: WAL + immediate transactions avoid "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "celery-broker")

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
COLLEGE_ALLOW_DEMO_DATA = True

WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Rate-limit counters in a per-process cache are fine for one dev server and for tests.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405 - the demo college and bench data, never in production
