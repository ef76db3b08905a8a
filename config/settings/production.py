"""Production: everything from the environment; PostgreSQL, Redis, gunicorn + whitenoise."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


SECRET_KEY = _env("SECRET_KEY")
# No well-known default for imported accounts on a real deployment.
COLLEGE_INITIAL_PASSWORD = _env("COLLEGE_INITIAL_PASSWORD")
ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
CELERY_BROKER_URL = _env("CELERY_BROKER_URL")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Rate limits (allauth, heartbeats) and sessions must be shared by every web process. While Redis is
# away (a restart, a fail-over) the cache answers "nothing cached" instead of raising: sessions fall back
# to PostgreSQL, rate limits let requests through (the watch clock still bounds credited time), and
# trainees see no server error (bench/faults.py stops Redis for a minute under load and counts them).
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", CELERY_BROKER_URL),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1},
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_FAIL_OPEN = True
# Sessions read from Redis, written through to PostgreSQL: one query fewer on every signed-in request
# (each heartbeat included) and nobody is logged out when Redis restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STATIC_ROOT = _env("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
MEDIA_ROOT = _env("MEDIA_ROOT", str(MEDIA_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS is terminated by the front proxy (nginx / load balancer).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override this to SAMEORIGIN themselves

# /healthz: in production a missing beat tick or growth catch-up run is a failure, not "not yet".
HEALTHZ_REQUIRE_JOBS = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/live$"]  # load-balancer probes speak plain HTTP
