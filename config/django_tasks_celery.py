"""A django-tasks backend that hands Wagtail's background work (search and reference indexing,
file deletion) to Celery, so none of it runs inside an editor's save request."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json

logger = logging.getLogger(__name__)


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_priority = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        args, kwargs = normalize_json(args), normalize_json(kwargs)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        # After commit, so the worker sees the saved row.
        transaction.on_commit(lambda: _send(task.module_path, args, kwargs, task.queue_name))
        return result


def _send(module_path: str, args: list, kwargs: dict, queue_name: str) -> None:
    from cms.tasks import run_django_task

    try:
        run_django_task.delay(module_path, args, kwargs)
    except Exception:  # noqa: BLE001 - a lost enqueue must not fail the editor's request
        # The nightly `rebuild_search_index` beat job catches up whatever is lost here.
        logger.exception("Could not enqueue %s; the nightly index rebuild will catch up", module_path)
