"""The ledger credits a completion once, however often or however concurrently it is replayed."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from learning.models import LedgerEntry
from learning.services import ledger_record


def _record(user_id, when=None):
    return ledger_record(user_id=user_id, kind=LedgerEntry.Kind.LESSON, object_id=4242, title="网格党支部怎么建",
                         credit_hours=Decimal("0.5"), points=2, occurred_at=when or timezone.now())


@pytest.mark.django_db
def test_a_replayed_completion_credits_nothing_twice():
    user = User.objects.get(username="trainee")
    first, created = _record(user.pk)
    again, created_again = _record(user.pk, timezone.now() + dt.timedelta(minutes=5))
    assert created and not created_again
    assert again.pk == first.pk and again.occurred_at == first.occurred_at
    assert LedgerEntry.objects.filter(user=user, object_id=4242).count() == 1


def _race(worker, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(worker())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_completions_yield_one_entry():
    user = User.objects.create_user("racer", password="x")
    results = _race(lambda: _record(user.pk), count=4)
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert len({entry.pk for entry, _ in results}) == 1
    assert LedgerEntry.objects.filter(user=user).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_final_heartbeats_at_once_complete_the_lesson_once():
    from django.core.management import call_command

    from assessments.models import Quiz
    from cms.models import DailyLessonPage
    from learning.models import LessonProgress, WatchClock
    from learning.services import HeartbeatRejected, progress_record

    call_command("load_demo_data", "--skip-index", verbosity=0)
    user = User.objects.get(username="trainee")
    daily = DailyLessonPage.objects.live().order_by("-lesson_date").first()
    Quiz.objects.filter(page=daily).delete()  # the video alone completes it
    start = timezone.now() - dt.timedelta(seconds=30)
    LessonProgress.objects.create(user=user, page=daily, last_beat_at=start, last_session="s", last_beat_seq=1)
    WatchClock.objects.create(user=user, credited_until=start)  # that first beat started the trainee's clock

    def final_beat():
        try:
            return progress_record(user=user, page_id=daily.pk, session="s", seq=2,
                                   position=daily.video.duration, watched=daily.video.duration)
        except HeartbeatRejected as rejected:
            return rejected.code

    results = _race(final_beat)
    assert sorted(str(r) if isinstance(r, str) else "ok" for r in results) == ["ok", "replayed_beat"]
    assert LedgerEntry.objects.filter(user=user, kind="daily", object_id=daily.pk).count() == 1



@pytest.mark.django_db
def test_a_long_title_is_kept_to_the_columns_255_characters():
    user = User.objects.get(username="trainee03")
    entry, created = ledger_record(user_id=user.pk, kind="lesson", object_id=987654, title="长" * 300,
                                   credit_hours=Decimal("0.5"), points=2,
                                   occurred_at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    entry.refresh_from_db()
    assert created and entry.title == "长" * 255
