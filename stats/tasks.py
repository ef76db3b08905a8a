"""Celery tasks of statistics: thin wrappers around stats.services, idempotent (a rollup is recomputed,
never added to). Their names are the ones they had in `learning.tasks`, so messages queued and beat
entries saved before the app was split still find them."""

import datetime as dt

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from core.api import jobs
from stats import services as stats

RETRY = {"acks_late": True, "autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY, expires=600, name="learning.tasks.stats_refresh_task")
def stats_refresh_task() -> list[str]:
    """Every few minutes: today's rollups and any day with new ledger entries, plus class figures."""
    with jobs.job_run(stats.REFRESH_JOB):
        return [day.isoformat() for day in stats.stats_refresh()]


@shared_task(**RETRY, name="learning.tasks.stats_finalise_task")
def stats_finalise_task() -> str:
    """Overnight: yesterday's rollups, recomputed once the day is over. Not redundant with the refresh:
    that recomputes a past day only while one of the day's ledger entries is in its id window, so a
    trainee who joined (or an account deactivated) after its last run before midnight, on a day whose
    entries have left the window or that had none, would keep yesterday's 学员数 and rates stale."""
    day = timezone.localdate() - dt.timedelta(days=1)
    with jobs.job_run("stats-finalise"):
        stats.stats_rebuild_day(day)
    return day.isoformat()
