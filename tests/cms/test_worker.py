"""Scheduled publishing run by a real Celery worker process on PostgreSQL + Redis."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cms.models import DailyLessonPage
from tests.cms.factories import daily_lesson
from tests.worker import celery_worker, publishing_to, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_the_beat_task_and_the_lesson_goes_live(client):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    day = dt.date(2027, 3, 1)
    lesson = daily_lesson(day, title="准点上线的一课")
    # Reschedule it two seconds from now: Wagtail keeps it unpublished until then.
    lesson.unpublish()
    lesson.go_live_at = timezone.now() + dt.timedelta(seconds=2)
    lesson.save_revision().publish()
    assert not DailyLessonPage.objects.get(pk=lesson.pk).live
    time.sleep(2.5)

    with celery_worker() as queue, publishing_to(settings.CELERY_BROKER_URL) as app:
        app.send_task("cms.tasks.publish_scheduled_pages", queue=queue)
        assert wait_for(lambda: DailyLessonPage.objects.get(pk=lesson.pk).live, timeout=60)
    assert client.get(lesson.url).status_code == 200
