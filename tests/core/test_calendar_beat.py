"""The workday calendar as beat lives it: real beat and worker processes whose clocks start at 15:59:50
Beijing time, so that the 16:00 `daily-lesson-reminder` entry fires. On a computed holiday the job runs
and reminds nobody; on a Saturday an administrator entered as a 调休 workday it reminds everyone.

PostgreSQL (the processes share the test database) and a private redis-server on a spare port.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.models import JobRun, WorkdayOverride
from notifications.models import Notification
from orgs.api import TraineeProfile
from tests.cms.factories import daily_lesson
from tests.worker import free_port, own_redis, start_beat, start_worker, stop, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")


def _afternoon_of(day: dt.date, tmp_path) -> None:
    """Beat and a worker from 15:59:50 on `day` until the 16:00 reminder job has run once."""
    assert not JobRun.objects.filter(name="daily-reminder").exists()
    at = dt.datetime.combine(day, dt.time(15, 59, 50), tzinfo=SH)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    log = tmp_path / "worker.log"
    with own_redis(port, tmp_path):
        worker = start_worker(broker_url=url, log=log, at=at)
        beat = start_beat(broker_url=url, workdir=tmp_path, at=at)
        try:
            ran = wait_for(lambda: JobRun.objects.filter(name="daily-reminder", last_success_at__isnull=False).exists(),
                           timeout=90, interval=0.5)
            assert ran, log.read_text()[-3000:]
        finally:
            stop(beat)
            stop(worker)


@pytest.fixture(autouse=True)
def demo_college():
    call_command("load_demo_data", "--skip-index", verbosity=0)  # transactional tests start from empty tables


def test_no_afternoon_reminder_on_new_years_day_2027_a_computed_holiday(tmp_path):
    daily_lesson(dt.date(2027, 1, 1))  # even with a lesson published for the day
    _afternoon_of(dt.date(2027, 1, 1), tmp_path)
    assert not Notification.objects.filter(kind=Notification.Kind.DAILY_REMINDER).exists()


def test_a_saturday_entered_as_a_makeup_workday_gets_its_reminder(tmp_path):
    WorkdayOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    daily_lesson(dt.date(2027, 2, 20))
    _afternoon_of(dt.date(2027, 2, 20), tmp_path)
    reminded = Notification.objects.filter(kind=Notification.Kind.DAILY_REMINDER, reason="daily_reminder:2027-02-20")
    assert reminded.count() == TraineeProfile.objects.filter(user__is_active=True).count() > 0
