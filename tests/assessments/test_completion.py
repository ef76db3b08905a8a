"""Quizzes count toward completion: a daily lesson needs its quiz answered, a lesson its quiz passed,
a course its final exam passed; passing credits the ledger once."""

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from assessments.models import Quiz
from cms.models import CoursePage, LessonPage
from learning.models import Enrollment, LedgerEntry, LessonProgress
from tests.assessments.factories import question_bank, quiz_on
from tests.assessments.test_attempts import right_answers
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def client():
    client = Client()
    client.login(username="trainee", password="demo12345")
    return client


def watch(client, page, clock, seconds):
    url = f"/api/v1/lessons/{page.pk}/heartbeat"
    session = f"s-{page.pk}-session"
    client.post(url, json.dumps({"session": session, "seq": 1, "position": 0, "watched": 0}),
                content_type="application/json")
    clock.shift(seconds)
    return client.post(url, json.dumps({"session": session, "seq": 2, "position": seconds, "watched": seconds}),
                       content_type="application/json").json()


def take(client, quiz, *, correctly):
    attempt = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()
    if correctly:
        client.put(f"/api/v1/attempts/{attempt['id']}/answers", json.dumps({"answers": right_answers(attempt)}),
                   content_type="application/json")
    return client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()


def test_a_daily_lesson_completes_once_its_video_is_watched_and_its_quiz_answered(client):
    with time_machine.travel(T0, tick=False) as clock:
        daily = daily_lesson(T0.date())  # today's lesson at the frozen clock, whatever the real date
        quiz = quiz_on(daily, question_bank(name="每日小测", count=3)[1])
        body = watch(client, daily, clock, daily.video.duration)
        assert body["percent"] == 100 and not body["completed"]
        assert not LedgerEntry.objects.filter(user__username="trainee", kind="daily").exists()
        result = take(client, quiz, correctly=False)  # answered, even if failed
    assert result["passed"] is False
    assert LessonProgress.objects.get(user__username="trainee", page=daily).completed_at is not None
    entry = LedgerEntry.objects.get(user__username="trainee", kind="daily", object_id=daily.pk)
    assert entry.credit_hours == Decimal("0.25")
    assert not LedgerEntry.objects.filter(user__username="trainee", kind="quiz").exists()


def test_passing_credits_the_quiz_once_and_completes_a_lesson_that_waited_for_it(client):
    lesson = LessonPage.objects.live().exclude(video=None).first()
    _, questions = question_bank(name="课时题库", count=4)
    quiz = quiz_on(lesson, questions)
    with time_machine.travel(T0, tick=False) as clock:
        assert not watch(client, lesson, clock, lesson.video.duration)["completed"]
        assert take(client, quiz, correctly=False)["passed"] is False
        assert LessonProgress.objects.get(user__username="trainee", page=lesson).completed_at is None
        assert take(client, quiz, correctly=True)["passed"] is True
        take(client, quiz, correctly=True)
    assert LessonProgress.objects.get(user__username="trainee", page=lesson).completed_at is not None
    quiz_entries = LedgerEntry.objects.filter(user__username="trainee", kind="quiz", object_id=quiz.pk)
    assert quiz_entries.count() == 1 and quiz_entries.get().credit_hours == Decimal("0.5")


def test_a_course_with_a_final_exam_completes_only_when_it_is_passed(client):
    course = CoursePage.objects.get(slug="shuji-linghang-xiangmu")
    exam = Quiz.objects.get(page=course)
    with time_machine.travel(T0, tick=False) as clock:
        for lesson in LessonPage.objects.child_of(course).live():
            needed = lesson.video.duration if lesson.video else lesson.min_reading_seconds
            assert watch(client, lesson, clock, needed)["completed"]
        enrollment = Enrollment.objects.get(user__username="trainee", course=course)
        assert enrollment.completed_at is None
        assert take(client, exam, correctly=True)["passed"]
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert LedgerEntry.objects.filter(user__username="trainee", kind="course", object_id=course.pk).count() == 1
