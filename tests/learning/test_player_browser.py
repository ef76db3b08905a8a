"""A trainee on a phone plays a short lesson to the end, reloads to see it completed, and resumes a
second lesson where they stopped: heartbeats, completion and resume through the real player script."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cms.models import LessonPage
from learning.models import LedgerEntry, LessonProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", "trainee")
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _play(page, until_end=True, stop_at=None):
    video = page.locator("video[data-lesson-video]")
    expect(video).to_be_visible()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    if until_end:
        page.wait_for_function("document.querySelector('video').ended", timeout=20_000)
    else:
        page.wait_for_function(f"document.querySelector('video').currentTime > {stop_at}", timeout=20_000)
        video.evaluate("v => v.pause()")
    return video


def test_trainee_completes_a_lesson_and_resumes_another(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    first, second = LessonPage.objects.live().exclude(video=None).order_by("path")[:2]
    page = phone_page
    _log_in(page, live_server.url)

    page.goto(f"{live_server.url}{first.url}")
    status = page.locator("[data-tracker-status]")
    _play(page)
    expect(status).to_have_text(re.compile("已完成"), timeout=10_000)

    page.reload()
    expect(page.locator("[data-tracker-status]")).to_have_text(re.compile("已完成"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert LedgerEntry.objects.filter(user__username="trainee", kind="lesson", object_id=first.pk).count() == 1

    page.goto(f"{live_server.url}{second.url}")
    _play(page, until_end=False, stop_at=3)
    expect(page.locator("[data-tracker-status]")).to_have_text(re.compile(r"已学习 [1-9]\d*%"), timeout=10_000)
    saved = LessonProgress.objects.get(user__username="trainee", page=second)
    assert saved.position_seconds >= 3 and saved.completed_at is None

    page.reload()
    expect(page.locator("[data-tracker-status]")).to_have_text(re.compile("继续播放"), timeout=10_000)
    resumed = page.locator("video[data-lesson-video]").evaluate("v => v.currentTime")
    assert abs(resumed - saved.position_seconds) < 0.6
