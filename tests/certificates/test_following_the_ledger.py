"""Certificates follow the ledger after it commits: never inside the crediting transaction, never twice,
and never lost — the catch-up issues what a lost enqueue left owed; the annual 学时证明 follows the
growth record."""

import datetime as dt
from decimal import Decimal
from itertools import count
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from certificates import services
from certificates.models import Certificate
from cms.models import CoursePage, LessonPage
from learning.models import LedgerEntry, LessonProgress
from learning.services.ledger import ledger_record
from learning.services.progress import completion_recheck
from notifications.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 18, tzinfo=SH)
_ids = count(20_000_000)


def _finish_lessons(user, course):
    for lesson in LessonPage.objects.child_of(course).live():
        LessonProgress.objects.update_or_create(user=user, page=lesson, defaults={"completed_at": NOW})
        ledger_record(user_id=user.pk, kind="lesson", object_id=lesson.pk, title=lesson.title,
                      credit_hours=Decimal("0.5"), points=2, occurred_at=NOW)


def _course_certificates(user, course):
    return Certificate.objects.filter(user=user, kind=Certificate.Kind.COURSE, object_id=course.pk)


@time_machine.travel(NOW, tick=False)
def test_a_completion_writes_no_certificate_in_its_own_transaction_only_after_it_commits(
        django_capture_on_commit_callbacks):
    trainee, course = User.objects.get(username="trainee02"), CoursePage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        _finish_lessons(trainee, course)
        completion_recheck(user=trainee, page_id=course.pk)
        assert LedgerEntry.objects.filter(user=trainee, kind="course", object_id=course.pk).exists()
        assert not _course_certificates(trainee, course).exists()  # not inside the credit's transaction
    for callback in pending:  # the commit: growth and certificates hear of each entry
        callback()
    assert _course_certificates(trainee, course).count() == 1
    assert Notification.objects.filter(user=trainee, reason=f"certificate:course:{course.pk}").count() == 1
    for callback in pending:  # a redelivered task issues nothing more
        callback()
    assert _course_certificates(trainee, course).count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_lost_enqueue_is_issued_by_the_catch_up_once(django_capture_on_commit_callbacks):
    trainee, course = User.objects.get(username="trainee02"), CoursePage.objects.live().first()
    with mock.patch("certificates.tasks.certificates_refresh_task.delay", side_effect=OSError("broker down")), \
            django_capture_on_commit_callbacks(execute=True):
        _finish_lessons(trainee, course)
        completion_recheck(user=trainee, page_id=course.pk)
    assert not _course_certificates(trainee, course).exists()  # the request itself did not fail

    assert services.certificates_catch_up() >= 1
    assert _course_certificates(trainee, course).count() == 1
    assert services.certificates_catch_up() == 0  # nothing owed any more


def test_the_annual_certificate_follows_the_growth_record_once_the_credits_commit(django_capture_on_commit_callbacks):
    below, reached = User.objects.get(username="trainee02"), User.objects.get(username="trainee03")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        for user, entries in ((below, 24), (reached, 25)):
            for n in range(entries):
                ledger_record(user_id=user.pk, kind="lesson", object_id=next(_ids), title="课", points=1,
                              credit_hours=Decimal("2"), occurred_at=NOW - dt.timedelta(days=n % 20, hours=n % 5))
    annual = Certificate.objects.filter(kind=Certificate.Kind.ANNUAL, object_id=2026)
    assert list(annual.values_list("user__username", flat=True)) == ["trainee03"]  # 48 学时 < 50 ≤ 50
    assert annual.get().credit_hours == Decimal("50")
    assert Notification.objects.filter(user=reached, reason="certificate:annual:2026").count() == 1
