"""The trainee's phone as an app, in Chromium at 360 px: installable, readable and answerable offline,
navigable from the bottom tab bar, comfortable in 大字模式, and free of serious accessibility faults."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Attempt, Quiz
from cms.models import CasePage, CoursePage, DailyLessonPage, LessonPage, TeachingBasePage
from tests.helpers import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str = "trainee"):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _controlled(page):
    """Wait until the service worker is active and controls this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _daily_with_quiz() -> DailyLessonPage:
    return DailyLessonPage.objects.live().filter(pk__in=Quiz.objects.values("page")).order_by("-lesson_date").first()


@pytest.fixture
def app_page(playwright, browser_type_launch_args, tmp_path):
    """A 360 px phone with a profile on disk (an incognito context is never installable) and the service
    worker allowed (the other browser tests block it); closing it stops the worker before the live
    server goes away."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args, viewport={"width": 360, "height": 740}, bypass_csp=True,
        service_workers="allow")
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_installable_the_lesson_reloads_offline_and_an_offline_answer_is_saved_on_reconnect(live_server, app_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page, base = app_page, live_server.url
    _sign_in(page, base)
    _controlled(page)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and manifest.get("errors", []) == []

    # A lesson read online is there after a reload with no network; a page never opened says so plainly.
    lesson = LessonPage.objects.live().order_by("path").first()
    page.goto(f"{base}{lesson.url}")
    expect(page.locator("h1")).to_contain_text(lesson.title)
    page.wait_for_function(f"caches.open('pages').then(c => c.match('{base}{lesson.url}')).then(r => !!r)")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_contain_text(lesson.title)
    page.goto(f"{base}/cases/never-opened/")
    expect(page.locator("h1")).to_have_text("网络未连接")
    page.context.set_offline(False)

    # An answer given while offline is kept on the phone and saved when the network returns.
    daily = _daily_with_quiz()
    page.goto(f"{base}{daily.url}")
    page.get_by_role("link", name="开始测验").click()
    page.get_by_role("button", name="开始答题").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
    page.context.set_offline(True)
    first = page.locator("fieldset.question input").first  # the paper may be drawn from a bank: any kind
    question_id, kind = first.get_attribute("name")[2:], first.get_attribute("type")
    if kind == "text":
        first.fill("报到")
        value = "报到"
    else:
        first.check()
        value = first.get_attribute("value")
        value = {"true": True, "false": False}.get(value, value)  # a 判断题 is saved as a boolean
        value = [value] if kind == "checkbox" else value
    expect(page.locator("[data-save-status]")).to_contain_text("暂存在本机", timeout=30_000)
    attempt = Attempt.objects.get(user__username="trainee", quiz__page=daily)
    assert not (attempt.answers or {}).get(question_id)
    page.context.set_offline(False)
    expect(page.locator("[data-save-status]")).to_contain_text("已保存", timeout=30_000)
    attempt.refresh_from_db()
    assert attempt.answers[question_id] == value


def test_the_bottom_bar_reaches_every_page_of_mine_and_large_text_never_scrolls_sideways(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page, base = phone_page, live_server.url
    _sign_in(page, base)
    bar = page.locator("nav.tabbar")
    expect(page.locator("header .nav-wide").first).to_be_hidden()  # on a phone the bar replaces the menu
    for name, path in (("八点半", "/daily/"), ("课程", "/courses/"), ("案例", "/cases/"), ("我的", "/me/"), ("首页", "/")):
        bar.get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(re.escape(base + path)))
        expect(bar.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")

    bar.get_by_role("link", name="我的").click()
    tabs = ["学习概况", "学习台账", "面授课程", "成长档案", "学习日志", "我的证书", "通知"]
    for name in tabs:
        page.locator("nav.me-tabs").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("nav.me-tabs a[aria-current=page]")).to_have_text(name)
        assert page.locator("nav.me-tabs a").all_inner_texts() == tabs  # the same tabs on every page
        expect(bar.get_by_role("link", name="我的")).to_have_attribute("aria-current", "page")

    page.goto(f"{base}/")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class("large-text")
    standard = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert standard >= 20
    for url in _trainee_pages():
        page.goto(f"{base}{url}")
        assert _fits(page), f"{url} scrolls sideways in 大字模式"
    page.get_by_role("button", name="关闭大字模式").click()
    expect(page.locator("html")).not_to_have_class("large-text")


def _trainee_pages() -> list[str]:
    daily = _daily_with_quiz()
    video_lesson = LessonPage.objects.live().filter(video__isnull=False).order_by("path").first()
    course = CoursePage.objects.live().order_by("path").first()
    case = CasePage.objects.live().order_by("path").first()
    quiz = Quiz.objects.get(page=daily)
    base = TeachingBasePage.objects.live().order_by("path").first()
    return ["/", "/daily/today/", daily.url, video_lesson.url, "/courses/", course.url, "/cases/", case.url,
            "/bases/", base.url, "/classroom/", "/classroom/calendar/", "/classroom/checkin/",
            "/search/?q=%E7%89%A9%E4%B8%9A", f"/quizzes/{quiz.pk}/", "/me/", "/me/history/", "/me/growth/",
            "/me/journal/", "/me/certificates/", "/me/notifications/", "/accounts/password/change/",
            "/offline/", "/no-such-page/"]


SERIOUS = ("serious", "critical")


def test_axe_finds_no_serious_fault_on_any_trainee_page_in_either_mode(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page, base, axe = phone_page, live_server.url, Axe()
    page.goto(f"{base}/accounts/login/")
    faults = _faults(axe, page, "/accounts/login/")
    _sign_in(page, base)
    urls = _trainee_pages()
    checked = 0
    for mode in ("standard", "large"):
        if mode == "large":
            page.goto(f"{base}/")
            page.get_by_role("button", name="大字模式").click()
        for url in urls:
            response = page.goto(f"{base}{url}")
            assert response.status == (404 if url == "/no-such-page/" else 200), url
            faults += [f"[{mode}] {fault}" for fault in _faults(axe, page, url)]
            checked += 1
        # the attempt page, once the quiz is started (the first pass starts it)
        if mode == "standard":
            page.goto(f"{base}{next(u for u in urls if u.startswith('/quizzes/'))}")
            page.get_by_role("button", name="开始答题").click()
            expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
            urls.append(page.url.removeprefix(base))
            faults += [f"[{mode}] {fault}" for fault in _faults(axe, page, urls[-1])]
            checked += 1
    report(f"axe-core: {checked + 1} trainee page loads at 360 px (standard and 大字模式), "
           f"{len(faults)} serious or critical")
    assert faults == [], "\n".join(faults)


def _faults(axe, page, url) -> list[str]:
    results = axe.run(page)
    return [f"{url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in SERIOUS]
