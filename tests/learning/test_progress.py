"""Heartbeats: only plausible time is credited; completions write one ledger entry each."""

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from cms.models import CoursePage, DailyLessonPage, LessonPage
from learning.models import Enrollment, LedgerEntry, LessonProgress
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def trainee_client():
    client = Client()
    client.login(username="trainee", password="demo12345")
    return client


@pytest.fixture
def long_lesson():
    """A 10-minute video lesson (the demo clips are seconds long)."""
    lesson = LessonPage.objects.live().exclude(video=None).first()
    lesson.video.duration = 600
    lesson.video.save()
    return lesson


class Player:
    """Sends beats the way player.js does, with a clock the test controls."""

    def __init__(self, client, page, traveller, session="device-one-session"):
        self.client, self.page, self.traveller, self.session, self.seq = client, page, traveller, session, 0

    def beat(self, watched, position=0.0, wait=None, seq=None):
        if wait:
            self.traveller.shift(wait)
        self.seq = seq or self.seq + 1
        return self.client.post(
            f"/api/v1/lessons/{self.page.pk}/heartbeat",
            json.dumps({"session": self.session, "seq": self.seq, "position": position, "watched": watched}),
            content_type="application/json",
        )


def _state(user, page):
    row = LessonProgress.objects.filter(user=user, page=page).values(
        "effective_seconds", "position_seconds", "last_beat_seq", "completed_at").first()
    return row, LedgerEntry.objects.filter(user=user).count()


def test_plausible_beats_accumulate_and_the_lesson_completes_at_90_percent(trainee_client, long_lesson):
    user = User.objects.get(username="trainee")
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        assert player.beat(0).status_code == 200
        for n in range(1, 18):
            body = player.beat(30, position=30 * n, wait=30).json()
        assert body["effective_seconds"] == 510 and not body["completed"]
        body = player.beat(30, position=540, wait=30).json()
    assert body["completed"] and body["just_completed"] and body["percent"] == 100
    entries = LedgerEntry.objects.filter(user=user, kind="lesson", object_id=long_lesson.pk)
    assert entries.count() == 1
    assert entries.get().credit_hours == long_lesson.credit_hours and entries.get().points == 2
    assert LessonProgress.objects.filter(user=user, page=long_lesson).count() == 1


def test_a_forged_ten_hour_beat_is_refused_and_changes_nothing(trainee_client, long_lesson):
    user = User.objects.get(username="trainee")
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        player.beat(0)
        player.beat(20, position=20, wait=20)
        before = _state(user, long_lesson)
        schema = player.beat(36000, position=36000, wait=10)
        assert schema.status_code == 422 and schema.json()["code"] == "invalid_input"
        implausible = player.beat(100, position=100, wait=10)  # within the schema, beyond the wall clock
    assert implausible.status_code == 422
    assert implausible.json() == {"code": "implausible_beat", "message": implausible.json()["message"]}
    assert "不计入" in implausible.json()["message"]
    assert _state(user, long_lesson) == before


def test_a_replayed_beat_is_refused_and_changes_nothing(trainee_client, long_lesson):
    user = User.objects.get(username="trainee")
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        player.beat(0)
        assert player.beat(30, position=30, wait=30).status_code == 200
        before = _state(user, long_lesson)
        replay = player.beat(30, position=30, wait=30, seq=player.seq)
    assert replay.status_code == 409 and replay.json()["code"] == "replayed_beat"
    assert _state(user, long_lesson) == before


def test_two_tabs_cannot_double_the_time(trainee_client, long_lesson):
    with time_machine.travel(T0, tick=False) as clock:
        one = Player(trainee_client, long_lesson, clock, session="tab-one-session")
        two = Player(trainee_client, long_lesson, clock, session="tab-two-session")
        one.beat(0)
        assert one.beat(30, position=30, wait=30).status_code == 200
        assert two.beat(30, position=30).status_code == 422  # same 30 s claimed again by the other tab
    assert LessonProgress.objects.get(user__username="trainee", page=long_lesson).effective_seconds == 30


def test_credit_never_passes_the_video_duration(trainee_client):
    lesson = LessonPage.objects.live().exclude(video=None).first()  # a 6-8 s demo clip
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, lesson, clock)
        player.beat(0)
        body = player.beat(30, position=999, wait=60).json()
    assert body["effective_seconds"] == lesson.video.duration
    assert body["position"] == lesson.video.duration
    assert body["completed"]


def test_a_lesson_of_a_closed_course_is_refused_without_enrollment(trainee_client):
    course = CoursePage.objects.live().first()
    course.self_enroll_open = False
    course.save()
    Enrollment.objects.filter(course=course).delete()
    lesson = LessonPage.objects.child_of(course).live().first()
    response = trainee_client.post(f"/api/v1/lessons/{lesson.pk}/heartbeat",
                                   json.dumps({"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0}),
                                   content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"
    assert not LessonProgress.objects.filter(page=lesson).exists()
    assert trainee_client.get(f"/api/v1/lessons/{lesson.pk}/progress").status_code == 403


def test_unpublished_or_future_pages_are_not_trackable(trainee_client):
    lesson = LessonPage.objects.live().first()
    lesson.unpublish()
    future = DailyLessonPage.objects.filter(live=False).first()
    for page in (lesson, future):
        response = trainee_client.post(f"/api/v1/lessons/{page.pk}/heartbeat",
                                       json.dumps({"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0}),
                                       content_type="application/json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not LessonProgress.objects.filter(page__in=[lesson, future]).exists()


def test_a_beat_only_ever_touches_the_callers_own_progress(trainee_client, long_lesson):
    other = User.objects.get(username="trainee01")
    LessonProgress.objects.create(user=other, page=long_lesson, effective_seconds=12, position_seconds=12)
    trainee_client.post(f"/api/v1/lessons/{long_lesson.pk}/heartbeat",
                        json.dumps({"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0,
                                    "user": other.pk, "user_id": other.pk}),
                        content_type="application/json")
    assert LessonProgress.objects.get(user=other, page=long_lesson).effective_seconds == 12
    assert LessonProgress.objects.filter(user__username="trainee", page=long_lesson).exists()


def test_daily_lesson_completion_credits_the_rule_default(trainee_client):
    with time_machine.travel(T0, tick=False) as clock:
        daily = daily_lesson(T0.date())  # no quiz: with one, see tests/assessments/test_completion.py
        player = Player(trainee_client, daily, clock)
        player.beat(0)
        assert player.beat(daily.video.duration, position=daily.video.duration, wait=daily.video.duration).json()[
            "completed"]
    entry = LedgerEntry.objects.get(user__username="trainee", kind="daily", object_id=daily.pk)
    assert (entry.credit_hours, entry.points) == (Decimal("0.25"), 1)


def test_a_text_lesson_completes_after_its_minimum_reading_time(trainee_client):
    lesson = LessonPage.objects.live().filter(video=None).first()
    lesson.min_reading_seconds = 60
    lesson.save()
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, lesson, clock)
        player.beat(0)
        assert not player.beat(30, wait=30).json()["completed"]
        assert player.beat(30, wait=30).json()["completed"]


def test_completing_every_lesson_completes_the_course_once(trainee_client):
    course = CoursePage.objects.live().first()
    lessons = list(LessonPage.objects.child_of(course).live())
    user = User.objects.get(username="trainee")
    with time_machine.travel(T0, tick=False) as clock:
        for lesson in lessons:
            player = Player(trainee_client, lesson, clock, session=f"lesson-{lesson.pk}-session")
            player.beat(0)
            needed = lesson.min_reading_seconds if lesson.video is None else lesson.video.duration
            while not player.beat(min(needed, 30), wait=min(needed, 30)).json()["completed"]:
                pass
    assert LedgerEntry.objects.filter(user=user, kind="course", object_id=course.pk).count() == 1
    assert LedgerEntry.objects.filter(user=user, kind="lesson").count() == len(lessons)
    assert Enrollment.objects.get(user=user, course=course).completed_at is not None


def test_progress_resumes_on_another_device(trainee_client, long_lesson):
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        player.beat(0)
        player.beat(25, position=125.5, wait=25)
    phone = Client()
    phone.login(username="trainee", password="demo12345")
    assert phone.get(f"/api/v1/lessons/{long_lesson.pk}/progress").json()["position"] == 125.5
    assert 'data-resume="125.5"' in phone.get(long_lesson.url).content.decode()


def test_heartbeats_are_rate_limited_per_user(trainee_client, long_lesson):
    codes = []
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        for _ in range(32):
            codes.append(player.beat(0, wait=0.5).status_code)
    assert codes[:30] == [200] * 30
    assert codes[-1] == 429


def test_session_calls_need_the_csrf_token_but_bearer_tokens_do_not(long_lesson):
    from wagtail.models import APIToken

    browser = Client(enforce_csrf_checks=True)
    browser.login(username="trainee", password="demo12345")
    beat = json.dumps({"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0})
    url = f"/api/v1/lessons/{long_lesson.pk}/heartbeat"
    assert browser.post(url, beat, content_type="application/json").status_code == 403
    _, token = APIToken.create_token(user=User.objects.get(username="trainee"), name="集成测试")
    integration = Client(enforce_csrf_checks=True)
    response = integration.post(url, beat, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert integration.get("/api/v1/me/summary", HTTP_AUTHORIZATION="Bearer wagtail_forged").status_code == 401


def test_a_case_read_for_its_minimum_time_is_credited_once(trainee_client):
    from cms.models import CasePage

    case = CasePage.objects.live().first()
    assert 'data-lesson-tracker' in trainee_client.get(case.url).content.decode()
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, case, clock)
        player.beat(0)
        assert not player.beat(60, wait=60).json()["completed"]
        assert player.beat(60, wait=60).json()["completed"]
        player.beat(30, wait=30)
    entry = LedgerEntry.objects.get(user__username="trainee", kind="case", object_id=case.pk)
    assert (entry.credit_hours, entry.points) == (Decimal("0.25"), 1)


@pytest.mark.parametrize(("claimed", "accepted"), [(35, True), (36, False)])
def test_the_slack_is_five_seconds_exactly(trainee_client, long_lesson, claimed, accepted):
    """30 s of wall time may claim 30 s + 5 s of jitter, not one second more."""
    user = User.objects.get(username="trainee")
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, long_lesson, clock)
        player.beat(0)
        before = _state(user, long_lesson)
        response = player.beat(claimed, position=claimed, wait=30)
    if accepted:
        assert response.status_code == 200 and response.json()["effective_seconds"] == claimed
    else:
        assert response.status_code == 422 and response.json()["code"] == "implausible_beat"
        assert _state(user, long_lesson) == before


def test_a_live_daily_lesson_dated_tomorrow_is_not_trackable_yet(trainee_client):
    with time_machine.travel(T0, tick=False):
        tomorrow = daily_lesson(T0.date() + dt.timedelta(days=1))  # published early by mistake
        assert tomorrow.live
        response = trainee_client.post(f"/api/v1/lessons/{tomorrow.pk}/heartbeat",
                                       json.dumps({"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0}),
                                       content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not LessonProgress.objects.filter(page=tomorrow).exists()



@pytest.mark.parametrize(("kind", "most"), [("daily", 9), ("lesson", 13)])
def test_a_steady_beat_costs_the_same_few_queries_however_much_data_there_is(trainee_client, kind, most):
    """The 08:30 hot path: a beat's statements do not grow with other trainees' progress on the lesson
    or with the trainee's own history. Daily: session, user, the lesson with its video, the locked
    progress row, the trainee's locked watch clock, the two UPDATEs (and the test transaction's savepoint
    pair); a course lesson also looks up its type, course and enrollment."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = User.objects.get(username="trainee")
    sql = []

    def steady_beat_queries(player):
        with CaptureQueriesContext(connection) as ctx:
            response = player.beat(30, position=30 * player.seq, wait=30)
        assert response.status_code == 200 and response.json()["credited_seconds"] == 30
        sql[:] = [q["sql"][:120] for q in ctx.captured_queries]
        return len(sql)

    with time_machine.travel(T0, tick=False) as clock:
        page = daily_lesson(T0.date()) if kind == "daily" else LessonPage.objects.live().exclude(video=None).first()
        page.video.duration = 600
        page.video.save()
        player = Player(trainee_client, page, clock)
        player.beat(0)
        player.beat(30, position=30, wait=30)  # the first credited beat creates the trainee's watch clock
        small = steady_beat_queries(player)
        others = [User.objects.create_user(f"beat-peer-{n}") for n in range(150)]
        LessonProgress.objects.bulk_create([LessonProgress(user=u, page=page, effective_seconds=n)
                                            for n, u in enumerate(others)])
        LessonProgress.objects.bulk_create([LessonProgress(user=user, page=other, effective_seconds=1)
                                            for other in LessonPage.objects.live().exclude(pk=page.pk)],
                                           ignore_conflicts=True)
        large = steady_beat_queries(player)
    assert small == large, (small, large)
    assert large <= most, "\n".join(sql)
