"""On a 360 px phone: the header keeps one line when an unread-notice badge appears, and a course's lesson
list sits inside its card with room to breathe (bounding boxes in a real browser)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms.models import CoursePage, LessonPage
from learning.models import LessonProgress
from notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str) -> User:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return user


def _header(page) -> dict:
    return page.evaluate("""() => {
        const box = el => el.getBoundingClientRect();
        const links = [...document.querySelectorAll('.nav a')].filter(a => a.offsetParent !== null);
        return {height: box(document.querySelector('.site-header')).height,
                tops: links.map(a => Math.round(box(a).top)), brandTop: Math.round(box(document.querySelector('.brand')).top),
                navBottom: box(document.querySelector('.nav')).bottom, brandBottom: box(document.querySelector('.brand')).bottom};
    }""")


@pytest.mark.parametrize("large_text", [False, True])
def test_the_header_keeps_its_height_when_a_badge_appears(live_server, phone_page, large_text):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page = phone_page
    user = _sign_in(page, live_server, "trainee")
    if large_text:  # 大字模式
        page.context.add_cookies([{"name": "college_text", "value": "large", "url": live_server.url}])
    Notification.objects.filter(user=user).update(read_at=timezone.now())
    page.goto(f"{live_server.url}/me/")
    assert page.locator(".site-header .badge").count() == 0
    without = _header(page)

    Notification.objects.bulk_create([Notification(user=user, kind=Notification.Kind.DAILY_OUT, reason=f"b:{n}",
                                                   title=f"通知 {n}") for n in range(120)])  # the widest: 99+
    page.goto(f"{live_server.url}/me/")
    expect_badge = page.locator(".site-header .badge")
    assert expect_badge.inner_text() == "99+"
    badged = _header(page)
    assert badged["height"] == without["height"], f"the header grew with the badge: {without} → {badged}"
    assert len(set(badged["tops"])) == 1, f"the menu wraps onto two lines: {badged}"
    assert badged["navBottom"] <= badged["brandBottom"] + 4, "the menu sits on the brand's line"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_lesson_list_has_padding_inside_its_card_and_ticks_finished_lessons(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    page = phone_page
    user = _sign_in(page, live_server, "trainee")
    course = CoursePage.objects.live().first()
    lesson = LessonPage.objects.live().child_of(course).first()
    LessonProgress.objects.update_or_create(user=user, page=lesson, defaults={"completed_at": timezone.now()})

    page.goto(f"{live_server.url}{course.url}")
    card = page.locator("ol.lesson-list")
    box = card.bounding_box()
    for link in card.locator("li > a").all():
        text = link.bounding_box()
        assert text["x"] >= box["x"] + 10, f"the lesson title touches the card's edge: {text} in {box}"
        assert text["x"] + text["width"] <= box["x"] + box["width"] - 10
    first = card.locator("li").first.bounding_box()
    assert first["y"] >= box["y"] + 1
    tick = card.locator("li").first.locator(".lesson-done")
    assert tick.inner_text() == "✓ 已完成" and tick.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
