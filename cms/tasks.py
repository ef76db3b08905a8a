"""Celery tasks owned by the content layer: scheduled publishing and Wagtail's background work."""

from celery import shared_task
from django.core.management import call_command
from django.utils.module_loading import import_string


@shared_task(acks_late=True)
def publish_scheduled_pages() -> None:
    # Wagtail's command is idempotent: it publishes revisions whose go-live time has passed.
    call_command("publish_scheduled")


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    """Run a django-tasks task (Wagtail's search/reference indexing) on the Celery worker."""
    import_string(module_path).call(*args, **kwargs)


@shared_task(acks_late=True)
def rebuild_search_index() -> None:
    call_command("update_index", verbosity=0)
