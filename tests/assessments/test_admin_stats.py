"""The quiz statistics pages in the Wagtail admin (assessments.admin_stats)."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessments.stats import ITEMS_HEADER
from orgs.api import TraineeProfile
from tests.assessments.test_stats import attempt, build_quiz, hand_built_attempts

pytestmark = pytest.mark.django_db


def _login(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def _stats_url(quiz) -> str:
    return f"/admin/assessments/quizzes/{quiz.pk}/stats/"


def test_the_page_shows_the_figures_for_a_trainer(client):
    quiz, _questions = build_quiz()
    hand_built_attempts(quiz)
    _login(client, "trainer")
    response = client.get(_stats_url(quiz))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<dd data-stat="graded">4</dd>' in page and '<dd data-stat="trainees">3</dd>' in page
    assert '<dd data-stat="pass-rate">25.0%</dd>' in page
    assert 'max="100" value="100"' in page  # the bars are <meter>s: the width is data, not a style
    assert ' style="' not in page and "<style" not in page
    assert f'href="/admin/assessments/quizzes/{quiz.pk}/stats.xlsx"' in page
    assert "<script src=\"http" not in page and "cdn" not in page.lower()
    index = client.get("/admin/assessments/stats/").content.decode()
    assert f'href="{_stats_url(quiz)}"' in index


def test_the_street_administrator_sees_the_subtree_figures(client):
    quiz, _questions = build_quiz()
    hand_built_attempts(quiz)
    _login(client, "street_admin")
    page = client.get(_stats_url(quiz)).content.decode()
    assert '<dd data-stat="graded">3</dd>' in page and '<dd data-stat="trainees">2</dd>' in page
    assert "仅含您管理范围内学员的答卷" in page


def test_the_xlsx_export_has_two_sheets_with_the_expected_headers(client):
    quiz, _questions = build_quiz()
    hand_built_attempts(quiz)
    _login(client, "trainer")
    response = client.get(f"/admin/assessments/quizzes/{quiz.pk}/stats.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["概况", "逐题分析"]
    overview = list(workbook["概况"].iter_rows(values_only=True))
    assert overview[0][:2] == ("指标", "数值")
    figures = {row[0]: row[1] for row in overview if row and row[0]}
    assert figures["已评分答卷"] == 4 and figures["参与学员"] == 3 and figures["通过率（按答卷）"] == "25.0%"
    items = list(workbook["逐题分析"].iter_rows(values_only=True))
    assert list(items[0]) == ITEMS_HEADER
    assert ITEMS_HEADER[:9] == ["序号", "试题编号", "题型", "题干", "正确答案", "出题次数", "作答次数", "答对次数", "正确率"]
    single = items[1]
    assert single[2] == "单选" and single[4] == "B" and single[5:9] == (4, 4, 3, "75.0%")
    assert single[9:13] == (1, 3, 0, 0)  # 选A..选D by original letter


def test_who_may_see_statistics(client):
    quiz, _questions = build_quiz()
    urls = [_stats_url(quiz), f"/admin/assessments/quizzes/{quiz.pk}/stats.xlsx", "/admin/assessments/stats/"]
    # A trainee never gets past the admin gate: a 403 page that says why, no figures.
    _login(client, "trainee")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "没有访问权限" in response.content.decode(), url
    # Someone who may open the admin but holds neither quiz permissions nor an organisation role: 403.
    clerk = User.objects.create_user("clerk", password="demo12345")
    clerk.groups.add(Group.objects.get(name="组织管理员"))
    client.force_login(clerk)
    for url in urls:
        assert client.get(url).status_code == 403, url
    for username in ("trainer", "reviewer", "street_admin", "district_admin", "admin"):
        _login(client, username)
        assert all(client.get(url).status_code == 200 for url in urls), username


def _add_attempts(quiz, count, users, start=0):
    for n in range(start, start + count):
        user = users[n % len(users)]
        attempt(quiz, user, n // len(users) + 1, orders={"single": [3, 2, 1, 0], "multiple": [2, 1, 0]},
                answers={"single": "ABCD"[n % 4], "multiple": ["A", "C"], "truefalse": "对"},
                correct={"single"} if n % 4 == 2 else set())


def _inside(users) -> set[int]:
    from tests.assessments.test_stats import hongqi_split

    return {user.pk for user in hongqi_split()[0]}


@pytest.mark.parametrize("username", ["trainer", "street_admin"])
def test_the_query_count_does_not_grow_with_the_attempts(client, username):
    quiz, _questions = build_quiz()
    users = [profile.user for profile in TraineeProfile.objects.select_related("user").order_by("user__username")]
    _login(client, username)
    _add_attempts(quiz, 5, users)
    client.get(_stats_url(quiz))  # warm caches (site, permissions) so both measurements start equal
    with CaptureQueriesContext(connection) as five:
        assert client.get(_stats_url(quiz)).status_code == 200
    _add_attempts(quiz, 45, users, start=5)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(_stats_url(quiz))
    assert response.status_code == 200
    graded = 50 if username == "trainer" else len([n for n in range(50) if users[n % len(users)].pk in _inside(users)])
    assert f'<dd data-stat="graded">{graded}</dd>' in response.content.decode()
    assert len(fifty) == len(five), [q["sql"] for q in fifty.captured_queries]
    with CaptureQueriesContext(connection) as export:
        client.get(f"/admin/assessments/quizzes/{quiz.pk}/stats.xlsx")
    assert len(export) <= len(fifty)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statistics_page_reads_on_a_360_px_phone(live_server, phone_page):
    import re

    from django.core.management import call_command
    from playwright.sync_api import expect

    call_command("load_demo_data", "--skip-index", verbosity=0)
    quiz, _questions = build_quiz()
    hand_built_attempts(quiz)
    url = _stats_url(quiz)
    phone_page.goto(f"{live_server.url}/accounts/login/?next={url}")
    phone_page.fill("input[name=login]", "street_admin")
    phone_page.fill("input[name=password]", "demo12345")
    phone_page.get_by_role("button", name="登录", exact=True).click()
    expect(phone_page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(phone_page.locator('[data-stat="graded"]')).to_have_text("3")
    expect(phone_page.get_by_role("link", name="导出 XLSX")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    meter = phone_page.locator("[data-stats-distribution] meter.qs-bar__meter").nth(9)
    bar, share = meter.bounding_box(), float(meter.get_attribute("value")) / 100
    assert bar and bar["width"] * share > 50 and bar["x"] + bar["width"] <= 360  # the 90–100 bar: visible, on screen
