"""On a 360 px phone a trainee answers today's daily quiz, submits, and reads the explanations."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Attempt
from cms.models import DailyLessonPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainee_answers_todays_daily_quiz_and_reads_the_explanation(live_server, phone_page):
    call_command("load_demo_data", "--skip-index", verbosity=0)
    daily = DailyLessonPage.objects.live().order_by("-lesson_date").first()
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next={daily.url}")
    page.fill("input[name=login]", "trainee")
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(daily.url) + "$"))

    page.get_by_role("link", name="开始测验").click()
    page.get_by_role("button", name="开始答题").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
    html = page.content()
    assert "解析" not in html and "正确答案" not in html, "no key or explanation before submission"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    for question in page.locator("fieldset.question").all():
        choice = question.locator("input[type=radio], input[type=checkbox]").first
        if choice.count():
            choice.check()
        else:
            question.locator("input[type=text]").fill("报到")
    expect(page.locator("[data-save-status]")).to_have_text(re.compile("已保存"), timeout=10_000)
    page.get_by_role("button", name="提交答卷").click()

    expect(page.locator(".result .score")).to_be_visible()
    expect(page.locator(".explanation").first).to_be_visible()
    expect(page.locator(".explanation").first).to_contain_text("解析")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    attempt = Attempt.objects.get(user__username="trainee", quiz__page=daily)
    assert attempt.status == "graded" and len(attempt.answers) == len(attempt.paper)


def test_each_question_text_sits_inside_its_card(live_server, phone_page):
    """A fieldset's legend is drawn on its top border: the card's question text must lie inside the card."""
    from django.contrib.auth.models import User
    from django.test import Client

    from cms.models import LessonPage
    from tests.assessments.factories import question_bank, quiz_on

    call_command("load_demo_data", "--skip-index", verbosity=0)
    _, questions = question_bank(name="版式题库", count=4)
    quiz = quiz_on(LessonPage.objects.live().first(), questions, title="版式小测")
    client = Client()
    client.force_login(User.objects.get(username="trainee"))
    attempt = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts").json()

    page = phone_page
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/quizzes/attempts/{attempt['id']}/")
    cards = page.locator("fieldset.question")
    expect(cards).to_have_count(4)
    for card in cards.all():
        box, legend = card.bounding_box(), card.locator("legend").bounding_box()
        border = card.evaluate("el => parseFloat(getComputedStyle(el).borderTopWidth)")
        assert legend["y"] >= box["y"] + border, f"the question straddles the card's top border: {legend} in {box}"
        assert legend["y"] + legend["height"] <= box["y"] + box["height"]
        assert box["x"] <= legend["x"] and legend["x"] + legend["width"] <= box["x"] + box["width"]
        first_option = card.locator("label.option, input.fill").first.bounding_box()
        assert first_option["y"] >= legend["y"] + legend["height"], "the answers come below the question"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
