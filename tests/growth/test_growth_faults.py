"""Nothing is lost when the broker is: real worker and beat processes on PostgreSQL + a private Redis.

Each test starts its own redis-server on a spare port (never the shared one) and its own Celery
processes pointed at the test database.
"""

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from assessments.models import Quiz
from cms.models import LessonPage
from config.celery import app
from growth import services as growth
from growth.models import GrowthRecord
from learning.models import LedgerEntry, LessonProgress, WatchClock
from tests.worker import free_port, own_redis, publishing_to, start_beat, start_worker, stop, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _quick_lessons(count):
    """Lessons one heartbeat can complete: a short video or ≤120 s of reading, and no quiz."""
    with_quiz = Quiz.objects.values("page_id")
    lessons = [lesson for lesson in LessonPage.objects.live().exclude(pk__in=with_quiz).order_by("path")
               if lesson.video or lesson.min_reading_seconds <= 120]
    assert len(lessons) >= count
    return lessons[:count]


def test_fifty_completions_with_the_broker_down_are_all_in_the_records_once_it_is_back(tmp_path):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    users = list(User.objects.filter(username__startswith="trainee").exclude(username="trainee")
                 .order_by("username")[:10])
    lessons = _quick_lessons(5)

    # Nothing listens on `url`: every enqueue after commit fails. The trainees watch their lessons one
    # after another (an hour ago, on a clock the test moves): credited time never outruns the wall clock.
    with publishing_to(url), time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False) as clock:
        for user in users:
            client = Client()
            client.force_login(user)
            WatchClock.objects.create(user=user, credited_until=timezone.now())
            for lesson in lessons:
                LessonProgress.objects.create(user=user, page=lesson, last_beat_at=timezone.now(),
                                              last_session="s", last_beat_seq=1)
                watched = lesson.video.duration if lesson.video else lesson.min_reading_seconds
                clock.shift(watched)
                response = client.post(
                    f"/api/v1/lessons/{lesson.pk}/heartbeat",
                    json.dumps({"session": "s" * 8, "seq": 1, "position": watched, "watched": watched}),
                    content_type="application/json",
                )
                assert response.status_code == 200 and response.json()["completed"], response.content
    assert LedgerEntry.objects.filter(user__in=users, kind="lesson").count() == 50
    assert not GrowthRecord.objects.filter(user__in=users).exists(), "nothing could be processed yet"

    expected = {u.pk: LedgerEntry.objects.filter(user=u).aggregate(h=Sum("credit_hours"))["h"] for u in users}

    def all_right():
        records = {r.user_id: r for r in GrowthRecord.objects.filter(user__in=users, year=timezone.localdate().year)}
        return len(records) == 10 and all(
            records[uid].credit_hours == expected[uid] and records[uid].lesson_count >= 5 for uid in expected)

    started = time.monotonic()
    with own_redis(port, tmp_path):
        worker = start_worker(broker_url=url)
        beat = start_beat(broker_url=url, workdir=tmp_path)
        try:
            assert wait_for(all_right, timeout=150, interval=2), "records not caught up within two minutes"
        finally:
            stop(beat)
            stop(worker)
    assert time.monotonic() - started < 150


def _bulk_trainees(count):
    users = User.objects.bulk_create([User(username=f"bulk{n:05d}", password="!") for n in range(count)])
    now = timezone.now()
    LedgerEntry.objects.bulk_create([
        LedgerEntry(user=user, kind=kind, object_id=n, title="课时", credit_hours=Decimal("0.5"), points=2,
                    occurred_at=now - dt.timedelta(days=n))
        for user in users for n, kind in ((1, "lesson"), (2, "daily"))
    ], batch_size=5000)
    return users


def test_a_worker_killed_in_the_middle_of_a_rebuild_leaves_every_record_correct(tmp_path):
    users = _bulk_trainees(12_000)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with own_redis(port, tmp_path):
        log = tmp_path / "worker.log"
        worker = start_worker(broker_url=url, log=log, CELERY_VISIBILITY_TIMEOUT="5")
        try:
            with publishing_to(url):
                app.send_task("learning.tasks.growth_rebuild_task")
            # Kill it -9 once the rebuild has written some batches but not all.
            assert wait_for(lambda: GrowthRecord.objects.exists(), timeout=60, interval=0.05), log.read_text()[-3000:]
            stop(worker, kill=True)
            partial = GrowthRecord.objects.count()
            assert partial < len(users), "the rebuild finished before the kill; make it bigger"
            time.sleep(6)  # past the visibility timeout: the unacknowledged task is redelivered
            worker = start_worker(broker_url=url, log=log, CELERY_VISIBILITY_TIMEOUT="5")
            assert wait_for(lambda: GrowthRecord.objects.filter(user__in=users).count() == len(users),
                            timeout=120, interval=1), log.read_text()[-3000:]
        finally:
            stop(worker)
    year = timezone.localdate().year
    wrong = GrowthRecord.objects.filter(user__in=users, year=year).exclude(
        credit_hours=Decimal("1.0"), points=4, lesson_count=1, daily_count=1)
    assert not wrong.exists()
    assert growth.users_behind(after_id=0)[0] == [] or not set(growth.users_behind(after_id=0)[0]) & {
        u.pk for u in users}
