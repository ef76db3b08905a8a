"""Content-Security-Policy (core/csp.py): the header every page sends, and pages that satisfy it.

Trainee pages get the strict policy (this site's files only, no inline script or style); the staff back
offices under /admin/ also allow inline code, never another host. The browser test loads the pages a
trainee and a trainer use and counts what Chromium refused.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Quiz
from cms.models import CasePage, CoursePage, LessonPage
from tests.helpers import login

STRICT = re.compile(r"script-src 'self'(;|$)")


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_trainee_pages_are_strict_and_only_the_admin_allows_inline_code():
    trainee, admin = login("trainee"), login("admin")
    for client, url in [(trainee, "/"), (trainee, "/me/"), (trainee, "/daily/today/"), (admin, "/accounts/login/")]:
        policy = directives(client.get(url, follow=True))
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    admin_policy = directives(admin.get("/admin/"))
    assert admin_policy["script-src"] == ["'self'", "'unsafe-inline'"]
    for policy in (admin_policy, directives(trainee.get("/"))):
        sources = {source for values in policy.values() for source in values}
        assert not {s for s in sources if "." in s or s.startswith("http")}, "no other host is ever allowed"


def _pages_of(kind) -> str:
    return kind.objects.live().order_by("path").first().url


@pytest.fixture
def enforced(browser):
    """A phone-sized page that obeys the policy (the other browser tests' contexts bypass it)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=False, service_workers="block")
    yield context.new_page()
    context.close()


@pytest.fixture
def elsewhere(enforced):
    """Every request the pages make to a host other than this server (none may: intranets block them)."""
    seen: list[str] = []
    enforced.on("request", lambda r: urlsplit(r.url).hostname not in ("127.0.0.1", "localhost", None)
                and r.url.startswith("http") and seen.append(r.url))
    return seen


@pytest.fixture
def refused(enforced):
    """Everything Chromium refused under the policy, from the console and the violation events."""
    page = enforced
    seen: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and seen.append(message.text))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_trainees_and_trainers_use_load_with_no_violation_and_no_other_host(live_server, enforced, refused,
                                                                                      elsewhere):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page, base = enforced, live_server.url
    quiz = Quiz.objects.filter(page__isnull=False).order_by("pk").first()
    video_lesson = LessonPage.objects.live().filter(video__isnull=False).order_by("path").first()
    trainee_pages = ["/", "/daily/today/", video_lesson.url, _pages_of(CoursePage), _pages_of(CasePage),
                     "/courses/", "/search/?q=%E7%89%A9%E4%B8%9A", "/me/", "/me/history/", "/me/growth/",
                     "/me/notifications/", "/no-such-page/", quiz.page.url]
    staff_pages = ["/admin/", f"/admin/pages/{video_lesson.pk}/edit/", "/admin/stats/", "/api/v1/docs"]

    for username, urls in (("trainee", trainee_pages), ("admin", staff_pages)):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", "demo12345")
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        for url in urls:
            page.goto(f"{base}{url}", wait_until="load")
            if url == video_lesson.url:  # the player's own script ran: the progress bar was sized from JS
                expect(page.locator(".tracker-bar span")).to_have_attribute("style", re.compile(r"width: \d+%"))
            if url == "/api/v1/docs":  # the API viewer rendered from our own static files
                expect(page.locator(".swagger-ui .info .title")).to_contain_text("社区干部网络学院 API")
    page.goto("about:blank")
    assert refused == [], f"{len(refused)} refused under the policy: {sorted(set(refused))[:8]}"
    assert elsewhere == [], f"requests to other hosts: {sorted(set(elsewhere))[:8]}"
