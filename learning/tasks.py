"""Celery tasks of the learning app: thin wrappers that take primitive ids and call services.

Each task is idempotent (class sync only inserts missing enrollments), so `acks_late` redelivery
after a lost worker is harmless.
"""

import logging

from celery import shared_task
from django.db import DatabaseError

from learning.services import class_sync_enrollments

logger = logging.getLogger(__name__)

RETRY = {"acks_late": True, "autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def class_sync_enrollments_task(class_id: int) -> int:
    """Enroll the members of one training class (after it is created or edited in the admin)."""
    return class_sync_enrollments(class_ids=[class_id])


@shared_task(**RETRY)
def class_sync_all_task() -> int:
    """Nightly: enroll trainees who joined a class's organisation subtree since the last sync."""
    return class_sync_enrollments(class_ids=None)


# Reminder and health tasks live in their own module; importing it registers them with Celery.
from learning import tasks_reminders  # noqa: E402, F401
