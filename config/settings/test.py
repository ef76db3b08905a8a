"""`make test`: SQLite in memory by default; DATABASE_URL / CELERY_BROKER_URL switch to real services (CI)."""

import os
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR
from .broker import filesystem_broker_options

SECRET_KEY = "test-key-not-secret"
ALLOWED_HOSTS = ["*"]
SERVE_MEDIA = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    if os.environ.get("TEST_SQLITE_FILE"):  # `make mutants`: one test database kept between runs (--reuse-db)
        DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_FILE"]}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
    }

# Tests run Celery tasks in-process; tests that need a real worker start one themselves.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = True
# Fault tests start their own worker with a short visibility timeout, so that a task held by a
# killed worker is redelivered within seconds instead of Redis's default hour.
if os.environ.get("CELERY_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ["CELERY_VISIBILITY_TIMEOUT"])}
# …and the embedded-broker fault test points its worker at a folder of its own.
if CELERY_BROKER_URL.startswith("filesystem") and os.environ.get("CELERY_BROKER_DIR"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(Path(os.environ["CELERY_BROKER_DIR"]))
CELERY_TASK_EAGER_PROPAGATES = True
# Wagtail's index updates run at once in tests; tests/config covers the Celery route explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
COLLEGE_ALLOW_DEMO_DATA = True

WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Rate-limit counters in a per-process cache are fine for one dev server and for tests.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405 - the demo college and bench data, never in production
