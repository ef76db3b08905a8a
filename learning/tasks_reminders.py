"""Celery tasks for reminders and the beat heartbeat: thin, idempotent, each run recorded in JobRun.

Scheduled by beat (see the CELERY_BEAT_SCHEDULE entries `daily-lesson-out`, `daily-lesson-reminder`,
`class-deadline-reminders`, `admin-weekly-summary`, `beat-tick`). The reminder functions themselves
skip days that are not workdays, so the schedules may simply say Monday–Friday (or every day): a
holiday is skipped and a 调休 Saturday is served when beat fires that day.

The afternoon reminder's time is its beat entry (default 16:00). With django-celery-beat's
DatabaseScheduler an administrator can change it under 定时任务 › Periodic tasks, but beat rewrites
entries that come from CELERY_BEAT_SCHEDULE whenever it starts — change the setting (or the
REMINDER_AFTERNOON_TIME environment variable it reads) for a lasting change.
"""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from core.api import jobs, timed_reminders_enabled
from learning import reminders
from notifications.api import NotifyResult

# OSError: an SMTP server refusing or unreachable. A retry re-runs the selection, which creates no
# notice twice and mails only what is still unmailed.
RETRY = {"acks_late": True, "autoretry_for": (DatabaseError, OSError), "retry_backoff": True, "max_retries": 5}

BEAT_TICK_JOB = "beat-tick"


class EmailNotDelivered(OSError):
    """Some reminder e-mails were refused; they stay unmailed and the task retries."""


def _checked(result: NotifyResult) -> int:
    if result.email_failed:
        raise EmailNotDelivered(f"{result.email_failed} 封提醒邮件未能发出，稍后重试")
    return result.created


@shared_task(**RETRY)
def daily_out_task() -> int:
    with jobs.job_run("daily-out"):
        if not timed_reminders_enabled():  # 合规开关: no push at a fixed time of day
            return 0
        return _checked(reminders.send_daily_out(timezone.now()))


@shared_task(**RETRY)
def daily_reminder_task() -> int:
    with jobs.job_run("daily-reminder"):
        if not timed_reminders_enabled():
            return 0
        return _checked(reminders.send_daily_reminder(timezone.now()))


@shared_task(**RETRY)
def class_deadline_task() -> int:
    with jobs.job_run("class-deadline"):
        return _checked(reminders.send_class_deadline_reminders(timezone.localdate()))


@shared_task(**RETRY)
def admin_summary_task() -> int:
    with jobs.job_run("admin-summary"):
        return _checked(reminders.send_admin_summaries(timezone.localdate()))


@shared_task(acks_late=True)
def beat_tick_task() -> None:
    """Every minute: proves that beat schedules and a worker runs (its age is reported by /healthz)."""
    with jobs.job_run(BEAT_TICK_JOB):
        pass
