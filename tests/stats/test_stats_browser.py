"""A street administrator on a phone (360 px) opens 今日未学, finds a trainee who has not studied today,
reminds them with 「发送提醒」 and sees the confirmation; the drill-down fits the screen."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import DailyLessonPage
from core.api import calendar as workdays
from notifications.models import Notification
from orgs.api import Organization, TraineeProfile
from tests.cms.factories import daily_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = ZoneInfo("Asia/Shanghai")


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_street_admin_reminds_an_absent_trainee_on_a_phone(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    # The next workday at 10:00 (in the future, so the browser keeps the session cookie), its lesson live.
    day = workdays.next_workdays(timezone.localdate(), 1)[0]
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=True):
        call_command("publish_scheduled", verbosity=0)
        if not DailyLessonPage.objects.live().filter(lesson_date=day).exists():
            daily_lesson(day)
        street = Organization.objects.get(code="22010401")
        absent = TraineeProfile.objects.filter(organization__path__startswith=street.path).order_by(
            "organization__path", "real_name", "pk").first()
        page = phone_page
        _log_in(page, live_server.url, "street_admin")

        page.goto(f"{live_server.url}/admin/stats/orgs/{street.pk}/")
        expect(page.locator("[data-stats-figures]")).to_be_visible()
        expect(page.locator("[data-stats-chart] svg")).to_be_visible()
        _no_horizontal_scroll(page)
        page.locator("[data-stats-children] a").first.click()
        expect(page.locator("[data-stats-members]")).to_be_visible()
        _no_horizontal_scroll(page)

        page.goto(f"{live_server.url}/admin/stats/absent/")
        expect(page.get_by_text(absent.phone)).to_be_visible()
        expect(page.get_by_text(absent.real_name).first).to_be_visible()
        _no_horizontal_scroll(page)
        page.get_by_role("button", name="发送提醒").click()
        expect(page.get_by_text(re.compile(r"已提醒 \d+ 人，0 人今天已收到过提醒"))).to_be_visible()

        reminded = Notification.objects.filter(user_id=absent.user_id, kind=Notification.Kind.DAILY_REMINDER)
        assert reminded.filter(reason=f"daily_reminder:{day:%Y-%m-%d}").count() == 1
