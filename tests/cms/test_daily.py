import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from cms.models import DailyLessonPage
from cms.tasks import publish_scheduled_pages
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def new_year_lessons():
    """Lessons on the last workday of 2026 and the first ones of 2027 (a year chinesecalendar lacks)."""
    with at(2026, 12, 1, 9, 0):
        past = daily_lesson(dt.date(2026, 12, 31), schedule=True, title="岁末一课")
        monday = daily_lesson(dt.date(2027, 1, 4), schedule=True, title="新年第一课")
    return past, monday


def test_after_0830_on_a_workday_today_redirects_to_todays_lesson(client, new_year_lessons):
    with at(2027, 1, 4, 8, 31):
        publish_scheduled_pages.delay()
        response = client.get("/daily/today/")
    assert response.status_code == 302
    assert response["Location"].endswith("/daily/2027-01-04/")


def test_before_0830_today_shows_the_latest_lesson_with_a_line_saying_so(client, new_year_lessons):
    with at(2027, 1, 4, 8, 0):
        publish_scheduled_pages.delay()
        response = client.get("/daily/today/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/daily/2026-12-31/?from=early")
    assert "今天的课程将于 08:30 发布" in response.content.decode()


def test_on_a_weekend_today_shows_the_latest_lesson(client, new_year_lessons):
    with at(2027, 1, 9, 10, 0):  # Saturday
        publish_scheduled_pages.delay()
        response = client.get("/daily/today/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/daily/2027-01-04/?from=rest")
    assert "休息日" in response.content.decode()


def test_beat_publishes_a_lesson_scheduled_for_0830_at_0830(client, new_year_lessons):
    _, monday = new_year_lessons
    schedule = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert schedule["task"] == publish_scheduled_pages.name and schedule["schedule"] <= 60

    with at(2027, 1, 4, 8, 29, 30):
        publish_scheduled_pages.delay()
        assert not DailyLessonPage.objects.get(pk=monday.pk).live
        assert client.get(monday.url).status_code == 404
    with at(2027, 1, 4, 8, 30, 10):
        publish_scheduled_pages.delay()
        assert DailyLessonPage.objects.get(pk=monday.pk).live
        page = client.get(monday.url)
    assert page.status_code == 200
    assert "新年第一课" in page.content.decode()


def test_month_archive_shows_the_calendar_of_lessons(client, new_year_lessons):
    with at(2027, 1, 5, 9, 0):
        publish_scheduled_pages.delay()
        response = client.get("/daily/?month=2027-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2027年1月" in html
    assert 'href="/daily/2027-01-04/"' in html
    assert "新年第一课" in html


@pytest.mark.parametrize("bad", ["2026-13", "abc", "2026-1-1-1", "<script>", "9999999-01"])
def test_a_malformed_month_gets_a_clear_chinese_page(client, bad):
    response = client.get("/daily/", {"month": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是有效的月份" in html
    assert "<script>" not in html


def test_a_lesson_page_carries_quote_video_with_poster_and_metadata_preload(client):
    lesson = DailyLessonPage.objects.live().order_by("-lesson_date").first()
    html = client.get(lesson.url).content.decode()
    assert lesson.quote in html
    assert 'preload="metadata"' in html
    assert "poster=" in html
    assert "<video" in html


def test_the_lesson_shortcut_keeps_wagtails_rules_drafts_restrictions_and_other_pages(client):
    """/daily/<slug>/ is served without walking the page tree; it must answer exactly as Wagtail would."""
    from django.contrib.auth.models import User
    from wagtail.models import PageViewRestriction

    with at(2027, 3, 1, 9, 0):
        lesson = daily_lesson(dt.date(2027, 3, 1), title="快速通道一课")
        draft = daily_lesson(dt.date(2027, 3, 2), schedule=True, title="还没上线的一课")
        assert client.get(lesson.url).status_code == 200
        assert "快速通道一课" in client.get(lesson.url).content.decode()
        assert client.get(draft.url).status_code == 404  # not live: not served, not leaked
        assert client.get("/daily/2027-03-30/").status_code == 404  # no such lesson
        assert client.get("/daily/?month=2027-03").status_code == 200  # the index still routes through Wagtail

        restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
        anonymous = client.get(lesson.url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]  # Wagtail's hook ran
        client.force_login(User.objects.get(username="trainee"))
        assert client.get(lesson.url).status_code == 200
        restriction.delete()


def test_an_edited_lesson_shows_within_thirty_seconds(client):
    """At 08:30 the lesson comes from the cache; an editor's correction still reaches everybody quickly."""
    with at(2027, 3, 3, 9, 0) as clock:
        lesson = daily_lesson(dt.date(2027, 3, 3), title="原来的标题")
        assert "原来的标题" in client.get(lesson.url).content.decode()
        lesson.title = "改正后的标题"
        lesson.save_revision().publish()
        clock.shift(dt.timedelta(seconds=31))
        assert "改正后的标题" in client.get(lesson.url).content.decode()
        lesson.unpublish()
        clock.shift(dt.timedelta(seconds=31))
        assert client.get(lesson.url).status_code == 404
