"""节假日与调休 in the admin: the year with its sources, entering the official schedule, the warning on
the admin home and in /healthz from 1 November until next year is confirmed, and who may see it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.calendar import Source, calendar_day, is_workday
from core.models import CalendarYear, WorkdayOverride
from learning import reminders
from notifications.models import Notification
from orgs.api import TraineeProfile
from tests.cms.factories import daily_lesson
from tests.helpers import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
OFFICIAL_2027 = """2027-01-01 放假 元旦
2月5日至11日 放假 春节
2月20日（星期六） 上班 春节调休
10月1日至7日 放假 国庆节
10月9日（星期六） 上班 国庆节调休
"""


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SH), tick=False)


def test_the_year_page_lists_holidays_with_their_source_and_offers_them_as_a_starting_point():
    with at(2026, 11, 15):
        response = login("admin").get("/admin/calendar/2027/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-calendar-status="unconfirmed"' in html
    assert 'data-date="2027-10-04" data-source="computed"' in html and "国庆节（补假）" in html
    assert "法定节假日推算" in html
    starting = response.context["form"].initial["schedule"]
    assert "2027-02-06 至 2027-02-10 放假 春节" in starting and "2027-01-01 放假 元旦" in starting


def test_a_published_year_says_so_and_names_its_makeup_saturdays():
    html = login("admin").get("/admin/calendar/2026/").content.decode()
    assert 'data-calendar-status="published"' in html
    assert 'data-date="2026-10-10" data-source="official"' in html and "国庆节调休上班" in html


def test_entering_the_official_schedule_and_confirming_the_year():
    client = login("admin")
    with at(2026, 11, 20):
        response = client.post("/admin/calendar/2027/", {"schedule": OFFICIAL_2027, "confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "已保存 2027 年 17 天的安排" in response.content.decode()
    assert is_workday(dt.date(2027, 2, 20)) and not is_workday(dt.date(2027, 2, 11))
    assert calendar_day(dt.date(2027, 2, 11)).source == Source.OVERRIDE
    assert CalendarYear.objects.get(year=2027).confirmed_by.username == "admin"
    assert 'data-calendar-status="confirmed"' in response.content.decode()
    # The same text again changes nothing: still one row per day.
    client.post("/admin/calendar/2027/", {"schedule": OFFICIAL_2027})
    assert WorkdayOverride.objects.filter(date__year=2027).count() == 17


def test_a_bad_line_saves_nothing_and_says_which_line():
    before = WorkdayOverride.objects.count()
    response = login("admin").post("/admin/calendar/2027/", {
        "schedule": "2027-01-01 放假 元旦\n2月30日 放假\n2026-12-31 放假", "confirm": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 2 行：日期不存在" in html and "第 3 行：2026-12-31 不在 2027 年内" in html
    assert WorkdayOverride.objects.count() == before and not CalendarYear.objects.filter(year=2027).exists()


def test_an_empty_form_asks_for_something():
    response = login("admin").post("/admin/calendar/2027/", {"schedule": ""})
    assert response.status_code == 400 and "请粘贴放假安排，或勾选确认本年日历" in response.content.decode()


@pytest.mark.parametrize("username", ["trainee", "trainer", "district_admin"])
def test_only_those_who_may_change_workdays_reach_the_page(username):
    client = login(username)
    for url in ("/admin/calendar/", "/admin/calendar/2027/"):
        assert client.get(url).status_code in (302, 403)
    assert client.post("/admin/calendar/2027/", {"schedule": OFFICIAL_2027}).status_code in (302, 403)
    assert client.post("/admin/calendar/2027/unconfirm/").status_code in (302, 403)
    assert not WorkdayOverride.objects.filter(date__year=2027).exists()


def test_the_admin_home_warns_from_november_until_next_year_is_confirmed():
    with at(2026, 10, 20):
        html = login("admin").get("/admin/").content.decode()
        assert "学习统计" in html and "data-calendar-warning" not in html
    with at(2026, 11, 15):
        admin = login("admin")
        html = admin.get("/admin/").content.decode()
        assert "data-calendar-warning" in html and "2027 年的节假日安排尚未确认" in html
        assert 'href="/admin/calendar/2027/"' in html
        # District administrators cannot fix it: they are not bothered with it.
        html = login("district_admin").get("/admin/").content.decode()
        assert "学习统计" in html and "data-calendar-warning" not in html
        admin.post("/admin/calendar/2027/", {"schedule": "", "confirm": "on"})
        html = admin.get("/admin/").content.decode()
        assert "学习统计" in html and "data-calendar-warning" not in html
        admin.post("/admin/calendar/2027/unconfirm/")
        assert "data-calendar-warning" in admin.get("/admin/").content.decode()


def test_healthz_reports_the_unconfirmed_year_as_a_warning_not_a_failure(client):
    with at(2026, 11, 15):
        body = client.get("/healthz").json()
        assert body["warnings"] == ["calendar_unconfirmed"] and body["calendar_unconfirmed_years"] == [2027]
        assert "calendar_unconfirmed" not in body["problems"]
        CalendarYear.objects.create(year=2027, confirmed_at=dt.datetime(2026, 11, 15, tzinfo=SH))
        body = client.get("/healthz").json()
        assert body["warnings"] == [] and body["calendar_unconfirmed_years"] == []


def test_on_a_computed_holiday_nobody_is_listed_as_absent_even_with_a_lesson_published():
    daily_lesson(dt.date(2027, 1, 1))
    with at(2027, 1, 1):
        response = login("district_admin").get("/admin/stats/absent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-absent-empty" in html and "1月1日（周五）不是工作日（元旦），没有每日一课，不统计未学名单" in html


@pytest.mark.parametrize("override", [True, False])
def test_the_0830_notice_follows_an_override_making_a_saturday_a_workday(override):
    if override:
        WorkdayOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    daily_lesson(dt.date(2027, 2, 20))
    result = reminders.send_daily_out(dt.datetime(2027, 2, 20, 8, 31, tzinfo=SH))
    trainees = TraineeProfile.objects.filter(user__is_active=True).count()
    assert result.created == (trainees if override else 0)
    assert Notification.objects.filter(reason="daily_out:2027-02-20").count() == (trainees if override else 0)
