"""A superuser enters next year's official schedule from the admin home's warning, on a phone."""

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.calendar import calendar_day, is_workday
from core.models import CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")


def test_from_the_warning_to_a_confirmed_next_year(live_server, phone_page, tmp_path):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    # The clock ticks from a day in November of whichever year the suite runs in (the session cookie
    # must stay valid, so the day lies ahead of the real one).
    year = timezone.localdate().year + 1
    # This year's schedule is in hand (an earlier confirmation); next year's is due.
    CalendarYear.objects.create(year=year, confirmed_at=dt.datetime(year, 1, 1, tzinfo=TZ))
    with time_machine.travel(dt.datetime(year, 11, 16, 10, tzinfo=TZ), tick=True):
        page = phone_page
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "demo12345")
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        page.goto(f"{live_server.url}/admin/")
        warning = page.locator("[data-calendar-warning]")
        expect(warning).to_contain_text(f"{year + 1} 年的节假日安排尚未确认")
        warning.get_by_role("link", name="录入节假日安排").click()
        expect(page.locator("[data-calendar-status=unconfirmed]")).to_be_visible()
        box = page.locator("textarea[name=schedule]")
        expect(box).to_have_value(re.compile(r"放假 春节"))  # the computed holidays as the starting text
        box.fill(box.input_value() + "\n2月30日 上班")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text(re.compile(r"第 \d+ 行：日期不存在"))).to_be_visible()
        assert not CalendarYear.objects.filter(year=year + 1).exists()
        saturday = next(dt.date(year + 1, 2, d) for d in range(14, 28) if dt.date(year + 1, 2, d).weekday() == 5)
        box = page.locator("textarea[name=schedule]")
        box.fill(box.input_value().replace("2月30日 上班", f"{saturday.month}月{saturday.day}日（星期六） 上班 春节调休"))
        page.get_by_label(re.compile("确认本年日历")).check()
        page.get_by_role("button", name="保存").click()
        expect(page.locator("[data-calendar-status=confirmed]")).to_be_visible()
        expect(page.locator(f"[data-date='{saturday:%Y-%m-%d}'][data-source=override]")).to_contain_text("上班")
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=os.environ["SCREENSHOTS"] + "/calendar.png", full_page=True)
        page.goto(f"{live_server.url}/admin/")
        expect(page.locator("[data-stats-panel]").first).to_be_visible()
        expect(page.locator("[data-calendar-warning]")).to_have_count(0)
    assert is_workday(saturday) and calendar_day(saturday).name == "春节调休"
