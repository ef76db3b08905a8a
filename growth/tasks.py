"""Celery tasks of growth records (学员成长库): thin, idempotent (every path recomputes and upserts).

They keep the names they had in learning (`learning.tasks.…`), so messages queued before an upgrade
and the beat schedule still reach them.
"""

import logging

from celery import shared_task
from django.db import DatabaseError

from core.api import jobs
from growth import services as growth

logger = logging.getLogger(__name__)

RETRY = {"acks_late": True, "autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


GROWTH_PENDING_KEY = "growth:pending:{}"
GROWTH_COALESCE_SECONDS = 5  # a burst of completions by one trainee becomes one refresh


def ledger_entry_committed(entry) -> None:
    """learning's ledger listener: a new entry has committed, so the trainee's record follows."""
    enqueue_growth_refresh(entry.user_id)


def enqueue_growth_refresh(user_id: int) -> None:
    """Never raises: the catch-up job is the safety net."""
    from django.core.cache import cache

    try:
        if not cache.add(GROWTH_PENDING_KEY.format(user_id), 1, timeout=60):
            return  # a refresh for this trainee is already queued
        growth_refresh_task.apply_async(args=[user_id], countdown=GROWTH_COALESCE_SECONDS)
    except Exception:  # noqa: BLE001 - broker or cache down: the ledger is the outbox
        logger.warning("growth refresh for user %s not enqueued; the catch-up job will do it", user_id,
                       exc_info=True)


@shared_task(**RETRY, name="learning.tasks.growth_refresh_task")
def growth_refresh_task(user_id: int) -> None:
    from django.core.cache import cache

    cache.delete(GROWTH_PENDING_KEY.format(user_id))  # entries arriving from now on queue a new refresh
    growth.growth_refresh(user_id=user_id)


@shared_task(**RETRY, name="learning.tasks.growth_catch_up_task")
def growth_catch_up_task() -> int:
    """Every minute: refresh every trainee whose ledger is ahead of their growth record."""
    with jobs.job_run(growth.CATCH_UP_JOB):
        return growth.growth_catch_up()


@shared_task(**RETRY, name="learning.tasks.growth_rebuild_task")
def growth_rebuild_task(year: int | None = None) -> int:
    """Nightly: rebuild every growth record from the ledger (set-based, batched)."""
    with jobs.job_run("growth-rebuild"):
        return growth.growth_rebuild(year=year)
