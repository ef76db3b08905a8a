"""今日学习 on the home page: a signed-in trainee's own day — today's lesson done or not, the streak, the
next class deadline, unread notices — at a query count that does not grow with their classes."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import DailyLessonPage
from core.models import CollegePolicy
from learning.models import LessonProgress, TrainingClass
from notifications.models import Notification
from tests.cms.factories import daily_lesson
from tests.helpers import login, org

pytestmark = pytest.mark.django_db
WORKDAY = dt.datetime(2027, 3, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Wednesday


@pytest.fixture
def morning():
    with time_machine.travel(WORKDAY, tick=False):
        if not DailyLessonPage.objects.live().filter(lesson_date=WORKDAY.date()).exists():
            daily_lesson(WORKDAY.date())
        yield DailyLessonPage.objects.live().get(lesson_date=WORKDAY.date())


def _card(client) -> str:
    html = client.get("/").content.decode()
    start = html.find('class="card home-today"')
    return html[start:html.find("</section>", start)] if start >= 0 else ""


def _class(name, days, member):
    today = timezone.localdate()
    training_class = TrainingClass.objects.create(name=name, organization=org("220102"), starts_on=today,
                                                  ends_on=today + dt.timedelta(days=days))
    training_class.member_users.add(member)
    return training_class


def test_visitors_get_the_public_home_only(client, morning):
    assert _card(client) == "" and "八点半课堂" in client.get("/").content.decode()


def test_the_card_says_whether_todays_lesson_is_done(morning):
    trainee = User.objects.get(username="trainee")
    client = login("trainee")
    assert "今日一课：未学习" in _card(client)
    LessonProgress.objects.create(user=trainee, page=morning, position_seconds=60, completed_at=timezone.now())
    card = _card(client)
    assert "今日一课：已完成" in card and "未学习" not in card


def test_the_next_class_deadline_unread_notices_and_the_streak_switch(morning):
    trainee = User.objects.get(username="trainee")
    TrainingClass.objects.filter(member_users=trainee).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    _class("远期班", 30, trainee)
    _class("近期班", 6, trainee)
    Notification.objects.filter(user=trainee).update(read_at=timezone.now())
    client = login("trainee")
    card = _card(client)
    assert "近期班：3月16日结业，还剩 6 天" in card and "远期班" not in card
    assert "没有未读通知" in card and "连续学习" in card
    Notification.objects.create(user=trainee, kind=Notification.Kind.DAILY_OUT, title="今日一课已发布", body="")
    policy = CollegePolicy.load()
    policy.streaks_enabled = False
    policy.save()
    card = _card(client)
    assert "1 条未读通知" in card and "连续学习" not in card


def test_the_home_page_query_count_does_not_grow_with_the_trainees_classes(morning):
    trainee = User.objects.get(username="trainee")
    client = login("trainee")

    def queries():
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    _class("班次 0", 10, trainee)
    small = queries()
    for n in range(1, 20):
        _class(f"班次 {n}", 10 + n, trainee)
    assert queries() == small
    assert small <= 22, small  # the public home (page tree, two card images) + the card (profile, classes, lesson, streak)
