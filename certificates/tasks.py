"""Celery tasks of certificates: thin and idempotent (issuing is once per trainee and object)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from certificates import services
from core.api import jobs
from learning.api import LedgerKind

logger = logging.getLogger(__name__)

RETRY = {"acks_late": True, "autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


def ledger_entry_committed(entry) -> None:
    """learning's ledger listener: a completed course may earn certificates, issued outside its transaction.
    Never raises: if the broker is down the catch-up job issues them from the ledger."""
    if entry.kind != LedgerKind.COURSE:
        return  # the annual 学时证明 follows the growth record instead
    try:
        certificates_refresh_task.delay(entry.user_id)
    except Exception:  # noqa: BLE001 - broker down: the ledger is the outbox
        logger.warning("certificates for user %s not enqueued; the catch-up job will issue them", entry.user_id,
                       exc_info=True)


@shared_task(**RETRY)
def certificates_refresh_task(user_id: int) -> int:
    return services.certificates_refresh(user_id=user_id)


@shared_task(**RETRY)
def certificates_catch_up_task() -> int:
    """Every minute: issue what the ledger says is owed and was not issued yet."""
    with jobs.job_run(services.CATCH_UP_JOB):
        return services.certificates_catch_up()
