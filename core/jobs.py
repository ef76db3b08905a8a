"""Bookkeeping of periodic jobs (JobRun): last start, success and failure, for /healthz and the admin."""

import contextlib
import datetime as dt

from django.db.models import F, Q
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


def unfinished_jobs(*, now: dt.datetime, longest: dict[str, float], default: float) -> list[str]:
    """Jobs that started, neither succeeded nor failed since, and have run longer than they ever should
    (`longest[name]`, else `default` seconds): a worker killed half-way through a rebuild. One query."""
    started_long_ago = Q(last_started_at__lt=now - dt.timedelta(seconds=min([default, *longest.values()])))
    finished = (Q(last_success_at__gte=F("last_started_at")) | Q(last_failure_at__gte=F("last_started_at")))
    rows = JobRun.objects.filter(started_long_ago).exclude(finished).values_list("name", "last_started_at")
    return sorted(name for name, started in rows if (now - started).total_seconds() > longest.get(name, default))
