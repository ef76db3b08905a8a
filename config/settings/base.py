"""Settings shared by every environment. Environment-specific modules override what differs."""

import os
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COLLEGE_VAR_DIR", BASE_DIR / "var"))

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "csp",
    "core",
    "cms",
    "notifications",
    "orgs",
    "learning",
    "certificates",
    "growth",
    "assessments",
    "classroom",
    "stats",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_celery_beat",
    "ninja",  # serves the API docs viewer (Swagger UI) from our own static files, not a CDN
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
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
    "allauth.account.middleware.AccountMiddleware",
    "orgs.middleware.PasswordChangeRequiredMiddleware",
    "orgs.middleware.AdminAccessDeniedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.OutOfRangeIdMiddleware",  # an id beyond bigint is a 404, not a 500
    "core.csp.CollegeCSPMiddleware",  # django-csp, with the admin prefixes' inline allowance
    "cms.pwa.ForgetOnLogoutMiddleware",  # 退出 clears what the phone kept offline (Clear-Site-Data)
]

# --- Content-Security-Policy (django-csp) ------------------------------------
# Only this site's own files: no CDN, no inline script or style on trainee pages (core/csp.py relaxes
# inline code under /admin/). tests/core/test_csp_browser.py loads the pages and counts violations.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "cms.pwa.display",  # 大字模式
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},  # its 5.2 message: locale/
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- locale -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media are served by Django only where no front server exists (make run, tests).
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- accounts (django-allauth) ---------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "orgs.accounts.CollegeAccountAdapter"
# Accounts come from administrators; a province may open self sign-up with COLLEGE_OPEN_SIGNUP=1.
COLLEGE_OPEN_SIGNUP = os.environ.get("COLLEGE_OPEN_SIGNUP", "") == "1"
COLLEGE_ALLOW_DEMO_DATA = False  # only local and test settings may load the demo college
# Accounts created by the trainee import share this initial password (shown to the administrator on the
# preview page); every one of them must change it at first login. Production refuses to start without it.
COLLEGE_INITIAL_PASSWORD = os.environ.get("COLLEGE_INITIAL_PASSWORD", "Xuexi@2026")
# Where links in e-mails point (defaults to the Wagtail admin's base URL).
COLLEGE_BASE_URL = os.environ.get("COLLEGE_BASE_URL", "")
# Certificates: the issuing college's name, and a CJK font with glyf outlines (found among the system's
# fonts when empty; COLLEGE_CERTIFICATE_FONT_INDEX picks the face inside a .ttc).
COLLEGE_CERTIFICATE_ISSUER = os.environ.get("COLLEGE_CERTIFICATE_ISSUER") or "社区干部网络学院"
COLLEGE_CERTIFICATE_FONT = os.environ.get("COLLEGE_CERTIFICATE_FONT", "")
COLLEGE_CERTIFICATE_FONT_INDEX = int(os.environ.get("COLLEGE_CERTIFICATE_FONT_INDEX", "0"))
# Credit rules (学时, 积分, caps): overrides of learning.rules' defaults, e.g. {"daily_points": 2}.
COLLEGE_RULES: dict = {}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
# The Wagtail admin sends people to the same (rate-limited) login.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = "社区干部网络学院"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # privacy checks on every attachment download
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "zip"]
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media", "AUDIO_EXTENSIONS": [], "VIDEO_EXTENSIONS": ["mp4", "webm"]}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to gravatar.com (blocked on intranets): initials avatars
WAGTAIL_MODERATION_ENABLED = True

# Wagtail's own background work (search index, reference index, file deletion) goes to Celery.
TASKS = {"default": {"BACKEND": "config.django_tasks_celery.CeleryBackend"}}

# --- Celery ----------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# A down broker must not hold a trainee's request for long: the enqueue gives up after ~1 s and the
# outbox catch-up (growth-catch-up below) does the work instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The afternoon reminder for trainees who have not done today's lesson, "HH:MM" Asia/Shanghai.
# (django-celery-beat rewrites settings entries when beat starts: change the time here, not in the admin.)
REMINDER_AFTERNOON_TIME = os.environ.get("REMINDER_AFTERNOON_TIME", "16:00")
_reminder_hour, _reminder_minute = (int(part) for part in REMINDER_AFTERNOON_TIME.split(":"))
# A job that started and has neither succeeded nor failed after this long died half-way (a killed worker):
# /healthz answers 503 with it under "unfinished_jobs". Per job, in seconds; the rest get the default.
HEALTHZ_JOB_DEFAULT_MAX_SECONDS = 1800
HEALTHZ_JOB_MAX_SECONDS = {"growth-rebuild": 4 * 3600, "stats-finalise": 3600}
HEALTHZ_MAX_TICK_AGE = 180  # seconds; /healthz answers 503 when the beat tick or growth catch-up is older
HEALTHZ_REQUIRE_JOBS = False
CELERY_BEAT_SCHEDULE = {
    # Lessons scheduled for 08:30 go live at 08:30 with nobody at a keyboard.
    "publish-scheduled-pages": {"task": "cms.tasks.publish_scheduled_pages", "schedule": 60.0},
    # Catches up any search-index update whose enqueue was lost (broker down at commit time).
    "rebuild-search-index-nightly": {
        "task": "cms.tasks.rebuild_search_index",
        "schedule": crontab(hour=3, minute=10),
    },
    # The ledger is the outbox: refresh every trainee whose growth record is behind their ledger.
    "growth-catch-up": {"task": "learning.tasks.growth_catch_up_task", "schedule": 60.0},
    # …and certificates: course completions whose enqueue was lost, annual targets reached.
    "certificates-catch-up": {"task": "certificates.tasks.certificates_catch_up_task", "schedule": 60.0},
    "growth-rebuild-nightly": {"task": "learning.tasks.growth_rebuild_task", "schedule": crontab(hour=1, minute=30)},
    # Statistics rollups: today's figures every three minutes, yesterday finalised after midnight.
    "stats-refresh": {"task": "learning.tasks.stats_refresh_task", "schedule": 180.0},
    "stats-finalise-nightly": {"task": "learning.tasks.stats_finalise_task", "schedule": crontab(hour=0, minute=20)},
    # Reminders run every day on purpose (调休 Saturdays are workdays); the tasks skip non-workdays.
    # The 08:30 lesson goes live within a minute, hence 08:31 with two harmless repeats.
    "beat-tick": {"task": "learning.tasks_reminders.beat_tick_task", "schedule": 60.0},
    "daily-lesson-out": {"task": "learning.tasks_reminders.daily_out_task",
                         "schedule": crontab(hour=8, minute="31,36,45"), "options": {"expire_seconds": 7200}},
    "daily-lesson-reminder": {"task": "learning.tasks_reminders.daily_reminder_task",
                              "schedule": crontab(hour=_reminder_hour, minute=_reminder_minute),
                              "options": {"expire_seconds": 7200}},
    "class-deadline-reminders": {"task": "learning.tasks_reminders.class_deadline_task",
                                 "schedule": crontab(hour=9, minute=0), "options": {"expire_seconds": 21600}},
    # Daily: the first workday of a week sends last week's summary; later runs find nobody left.
    "admin-weekly-summary": {"task": "learning.tasks_reminders.admin_summary_task",
                             "schedule": crontab(hour=9, minute=15), "options": {"expire_seconds": 21600}},
    # Trainees added to a class's organisation subtree are enrolled in its required courses.
    "sync-class-enrollments-nightly": {
        "task": "learning.tasks.class_sync_all_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"jieba": {"level": "WARNING"}},
}

JIEBA_CACHE_FILE = VAR_DIR / "jieba.cache"
