"""Bookkeeping of periodic jobs (JobRun): last start, success and failure, for /healthz and the admin."""

import contextlib

from django.db.models import F
from django.utils import timezone

from core.models import JobRun


def job_started(name: str) -> None:
    JobRun.objects.get_or_create(name=name)
    JobRun.objects.filter(name=name).update(last_started_at=timezone.now(), runs=F("runs") + 1)


def job_succeeded(name: str) -> None:
    JobRun.objects.filter(name=name).update(last_success_at=timezone.now())


def job_failed(name: str, error: str) -> None:
    JobRun.objects.filter(name=name).update(last_failure_at=timezone.now(), failures=F("failures") + 1,
                                            last_error=error[:2000])


@contextlib.contextmanager
def job_run(name: str):
    """Record a run of `name` around the block; a failure is recorded and re-raised."""
    job_started(name)
    try:
        yield
    except Exception as error:
        job_failed(name, f"{type(error).__name__}: {error}")
        raise
    job_succeeded(name)
