"""/healthz: is this deployment working? For load balancers, uptime checks and people.

`/healthz/live` only says that this web process answers (no database, broker or cache touched): a
liveness probe for process supervisors, and the trivial view `make bench` compares pages against.

Reports the database, the Celery broker, and how long ago the periodic jobs last succeeded: the
beat tick (recorded every minute by `learning.tasks_reminders.beat_tick_task`, so a fresh tick means
beat schedules *and* a worker runs) and the growth catch-up (`growth-catch-up`). Answers 200 when all
is well and 503 when the database or broker is unreachable or a job is stale. Warnings do not fail the
check: `calendar_unconfirmed` while this year's holiday schedule — or from 1 November next year's — has
not been confirmed (`core.calendar.unconfirmed_years`).

Settings: HEALTHZ_MAX_TICK_AGE (seconds, default 180) for the beat tick, HEALTHZ_MAX_GROWTH_AGE (default
the same) for the growth catch-up, and HEALTHZ_REQUIRE_JOBS (default False): right after a fresh
install the jobs have no run yet — their ages are null and count as stale only when it is True (set it
in production, where beat always runs).
"""

import os

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

BEAT_TICK_JOB = "beat-tick"
GROWTH_JOB = "growth-catch-up"
STATS_JOB = "stats-refresh"  # every 3 minutes; administrators' figures go stale without it
BROKER_TIMEOUT_SECONDS = 2


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        return False


def _filesystem_folders() -> list[str]:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    keys = ["data_folder_in", "data_folder_out", "control_folder"]
    if options.get("store_processed"):
        keys.append("processed_folder")
    return [options[key] for key in keys if options.get(key)]


def check_broker() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        # kombu's filesystem transport "connects" to anything; what matters is that the folders are there.
        folders = _filesystem_folders()
        return bool(folders) and all(os.path.isdir(f) and os.access(f, os.R_OK | os.W_OK) for f in folders)
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS,
                        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2,
                                   timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:  # noqa: BLE001 - any failure to reach the broker is "error", whatever the transport
        return False


def _job_ages() -> dict[str, tuple]:
    from core.api import JobRun

    return {
        name: (success, failures)
        for name, success, failures in JobRun.objects.filter(name__in=[BEAT_TICK_JOB, GROWTH_JOB, STATS_JOB])
        .values_list("name", "last_success_at", "failures")
    }


def _unfinished_jobs(now) -> list[str]:
    from core.api import jobs

    try:
        return jobs.unfinished_jobs(now=now, longest=settings.HEALTHZ_JOB_MAX_SECONDS,
                                    default=settings.HEALTHZ_JOB_DEFAULT_MAX_SECONDS)
    except DatabaseError:
        return []


def _unconfirmed_years() -> list[int]:
    from core.api import unconfirmed_years

    try:
        return unconfirmed_years(timezone.localdate())
    except DatabaseError:
        return []


def _age(runs: dict, name: str, max_age: float, require: bool, now) -> tuple[int | None, bool]:
    """(age in seconds or None, stale?) of one job."""
    if name not in runs:
        return None, require  # a fresh install: no run yet
    success, failures = runs[name]
    if success is None:
        return None, require or failures > 0  # it has run, and never succeeded
    age = (now - success).total_seconds()
    return max(0, int(age)), age > max_age


@never_cache
@require_safe
def healthz(request):
    max_tick = float(getattr(settings, "HEALTHZ_MAX_TICK_AGE", 180))
    max_growth = float(getattr(settings, "HEALTHZ_MAX_GROWTH_AGE", max_tick))
    max_stats = float(getattr(settings, "HEALTHZ_MAX_STATS_AGE", 600))
    require = bool(getattr(settings, "HEALTHZ_REQUIRE_JOBS", False))
    problems = []

    database = check_database()
    runs: dict = {}
    if database:
        try:
            runs = _job_ages()
        except DatabaseError:
            database = False
    if not database:
        problems.append("database")
    broker = check_broker()
    if not broker:
        problems.append("broker")

    now = timezone.now()
    tick_age, tick_stale = _age(runs, BEAT_TICK_JOB, max_tick, require, now) if database else (None, True)
    growth_age, growth_stale = _age(runs, GROWTH_JOB, max_growth, require, now) if database else (None, True)
    if database and tick_stale:
        problems.append("beat_tick")
    if database and growth_stale:
        problems.append("growth_refresh")
    stats_age, stats_stale = _age(runs, STATS_JOB, max_stats, require, now) if database else (None, True)
    if database and stats_stale:
        problems.append("stats_refresh")

    unfinished = _unfinished_jobs(now) if database else []
    if unfinished:
        problems.append("job_unfinished")

    unconfirmed = _unconfirmed_years() if database else []
    report = {
        "status": "degraded" if problems else "ok",
        "database": "ok" if database else "error",
        "broker": "ok" if broker else "error",
        "beat_tick_age_seconds": tick_age,
        "growth_refresh_age_seconds": growth_age,
        "stats_refresh_age_seconds": stats_age,
        "problems": problems,
        "unfinished_jobs": unfinished,
        "warnings": ["calendar_unconfirmed"] if unconfirmed else [],
        "calendar_unconfirmed_years": unconfirmed,
    }
    return JsonResponse(report, status=503 if problems else 200)


@never_cache
@require_safe
def live(request):
    """Liveness: the process runs and Django answers. Deliberately touches nothing else."""
    return HttpResponse(b"ok", content_type="text/plain")
