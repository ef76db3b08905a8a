"""End-to-end journeys in a real browser (Debian's chromium through Playwright) against a live server.

`live_server` needs committed data, so these tests are transactional and the database is flushed
after each one: each test (re)loads the demo college itself (a no-op when it is already there).
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cms.models import CaseLibraryPage, CasePage

PASSWORD = "demo12345"
PHONE_WIDTH = 360
CASE_TITLE = "楼道议事会：小事不出楼"
SEARCH_WORD = "楼道议事"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def load_demo_college():
    call_command("load_demo_data", "--skip-index", verbosity=0)


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_out(page, base_url):
    page.goto(f"{base_url}/accounts/logout/")
    page.get_by_role("button", name="登出").click()
    expect(page.locator(".site-header").get_by_role("link", name="登录")).to_be_visible()


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth") - PHONE_WIDTH


def search_as_visitor(visitor, base_url):
    visitor.goto(f"{base_url}/")
    visitor.get_by_role("searchbox", name="搜索").fill(SEARCH_WORD)
    visitor.get_by_role("searchbox", name="搜索").press("Enter")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"“{SEARCH_WORD}”的搜索结果")


def test_trainee_on_phone_follows_todays_lesson_and_video_plays(live_server, phone_page):
    load_demo_college()
    page = phone_page
    log_in(page, live_server.url, "trainee")

    page.goto(f"{live_server.url}/")
    assert horizontal_overflow(page) <= 0
    daily = page.locator("section.card").filter(has=page.get_by_role("heading", name="八点半课堂"))
    lesson_title = daily.get_by_role("heading", level=3).inner_text()
    daily.get_by_role("link", name="学习今日一课").click()

    expect(page).to_have_url(re.compile(r"/daily/\d{4}-\d{2}-\d{2}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson_title)
    assert horizontal_overflow(page) <= 0, "the daily lesson scrolls sideways on a 360 px phone"

    video = page.locator("video")
    expect(video).to_be_visible()
    expect(video).to_have_attribute("preload", "metadata")
    expect(video).to_have_attribute("poster", re.compile(r"\S"))
    poster = video.evaluate("v => v.poster")
    assert page.request.get(poster).ok, f"poster {poster} does not load"

    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=10_000)
    assert not video.evaluate("v => v.error")
    # Stop the player before the test's database is flushed: a last heartbeat must not race it.
    video.evaluate("v => v.pause()")
    page.goto("about:blank")


def test_trainer_creates_case_reviewer_approves_it_appears_in_search(live_server, page):
    load_demo_college()
    library = CaseLibraryPage.objects.get()
    visitor_context = page.context.browser.new_context(service_workers="block")
    visitor = visitor_context.new_page()

    # The trainer writes a case and submits it for review: she cannot publish it herself.
    log_in(page, live_server.url, "trainer")
    page.goto(f"{live_server.url}/admin/pages/{library.id}/add_subpage/")
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/cms/casepage/{library.id}/$"))
    page.fill("input[name=title]", CASE_TITLE)
    page.fill("input[name=region]", "吉林省长春市朝阳区")
    page.fill("input[name=organization_name]", "红旗街道长山花园社区")
    page.fill("textarea[name=background]", "老楼道堆物多、邻里矛盾多，居民反映的小事找不到人商量。")
    page.fill("textarea[name=practice]", "每个楼道推选楼长，每月召开一次楼道议事会，议题居民提、办法居民定。")
    page.fill("textarea[name=outcome]", "一年来楼道堆物清理率达百分之九十五，邻里纠纷明显减少。")
    page.get_by_role("button", name="更多动作").click()
    submit = page.get_by_role("button", name="提交给课程与案例发布审核")
    expect(submit).to_be_visible()
    expect(page.locator("footer").get_by_role("button", name="发布", exact=True)).to_have_count(0)
    expect(page.locator("button[name=action-publish]")).to_have_count(0)
    submit.click()
    expect(page.get_by_text(f"页面 '{CASE_TITLE}' 已创建并提交审核。")).to_be_visible()

    # While it waits for review, visitors cannot find it.
    search_as_visitor(visitor, live_server.url)
    expect(visitor.get_by_role("link", name=CASE_TITLE)).to_have_count(0)

    # The reviewer approves it from the dashboard, which publishes it.
    log_out(page, live_server.url)
    log_in(page, live_server.url, "reviewer")
    page.goto(f"{live_server.url}/admin/")
    awaiting = page.locator("#awaiting-review-content").get_by_role("row").filter(has_text=CASE_TITLE)
    expect(awaiting).to_have_count(1)
    awaiting.get_by_role("button", name="动作").click()
    awaiting.get_by_role("button", name="批准", exact=True).click()
    expect(awaiting).to_have_count(0)  # the dashboard reloads without it
    case = CasePage.objects.get(title=CASE_TITLE)
    assert case.live and not case.has_unpublished_changes

    # Now anyone finds it by a word of its title, and its address shows it.
    search_as_visitor(visitor, live_server.url)
    result = visitor.get_by_role("link", name=CASE_TITLE)
    expect(result).to_be_visible()
    assert result.get_attribute("href") == case.url
    response = visitor.goto(live_server.url + case.url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    expect(visitor.get_by_text("每月召开一次楼道议事会")).to_be_visible()
    visitor_context.close()
