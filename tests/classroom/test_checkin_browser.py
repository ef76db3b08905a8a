"""Done-when of issue 19, in Chromium: the trainer opens check-in and shows the rotating code; a trainee on a
360 px phone opens the code's URL (signing in on the way) and is present; a forwarded code from over a
minute ago is refused with a clear message; the trainee's 学时 rise once, however often they scan."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from classroom import checkin
from classroom.models import Attendance
from learning.models import LedgerEntry
from learning.selectors import year_totals
from tests.classroom.factories import session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username):
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()


def test_trainer_shows_the_code_trainee_scans_it_and_a_forwarded_old_code_is_refused(live_server, browser,
                                                                                    phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    base = live_server.url
    s = session(starts_at=timezone.now() - dt.timedelta(minutes=5), hours="2.5", title="楼道议事会现场教学")
    trainee = User.objects.get(username="trainee")
    hours_before = year_totals(trainee)["credit_hours"]

    # The trainer, at a desktop, under the real Content-Security-Policy.
    trainer_context = browser.new_context(bypass_csp=False)
    screen = trainer_context.new_page()
    screen.goto(f"{base}/accounts/login/?next=/classroom/teach/sessions/{s.pk}/")
    _sign_in(screen, base, "trainer")
    screen.get_by_role("button", name="开始签到").click()
    expect(screen).to_have_url(re.compile(rf"/classroom/teach/sessions/{s.pk}/checkin/$"))
    code = screen.locator("[data-code]")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    expect(screen.locator("img[data-qr]")).to_be_visible()
    first_code = code.inner_text()
    expect(code).not_to_have_text(first_code, timeout=(checkin.CODE_STEP_SECONDS + checkin.ROTATE_SECONDS + 5) * 1000)
    qr_url = screen.locator("[data-url]").get_attribute("href")
    assert qr_url.startswith(f"{base}/classroom/checkin/")

    # The trainee scans with the phone camera: not signed in yet, so through the login and back.
    page = phone_page
    page.goto(qr_url)
    _sign_in(page, base, "trainee")
    expect(page.locator("[data-checkin-status]")).to_contain_text("签到成功")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Attendance.objects.get(session=s, user=trainee).status == "present"

    # A second scan changes nothing.
    page.goto(screen.locator("[data-url]").get_attribute("href"))
    expect(page.locator("[data-checkin-status]")).to_contain_text("你已经签到过了")

    # A photo of the code forwarded to a colleague at home, opened more than a minute later.
    window = s.checkin_windows.get()
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=70), tick=False):
        old_url = f"{base}/classroom/checkin/{checkin.mint_token(session_id=s.pk, window_id=window.pk)}/"
    colleague = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    colleague.goto(f"{base}/accounts/login/?next=/me/")
    _sign_in(colleague, base, "trainee04")
    colleague.goto(old_url)
    expect(colleague.locator("[data-checkin-error]")).to_contain_text("这个签到二维码已过期")
    assert colleague.evaluate("document.documentElement.scrollWidth") <= 360
    assert not Attendance.objects.filter(session=s, user__username="trainee04").exists()

    # The trainee's 学时 rose once, by the session's hours, and the trainer's screen counts them.
    assert LedgerEntry.objects.filter(user=trainee, kind="attend").count() == 1
    assert year_totals(trainee)["credit_hours"] - hours_before == s.credit_hours
    expect(screen.locator("[data-count]")).to_have_text("1", timeout=(checkin.ROTATE_SECONDS + 5) * 1000)
    page.goto(f"{base}/me/history/")
    expect(page.locator(".me-credit").first).to_contain_text("+2.5")
    trainer_context.close()
