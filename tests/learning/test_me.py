"""/me/ (我的学习) and /me/history/ (学习台账): the right figures, only one's own, a fixed query count."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from cms import selectors as cms_selectors
from cms.models import CourseIndexPage, CoursePage, LessonPage
from learning.models import Enrollment, LedgerEntry, LessonProgress, TrainingClass
from learning.services import ledger_record

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _credit(user, n: int, *, when: dt.datetime, hours="0.5", points=5, title=None, kind=LedgerEntry.Kind.LESSON):
    entry, _created = ledger_record(
        user_id=user.pk, kind=kind, object_id=n, title=title or f"课时记录 {n}",
        credit_hours=Decimal(hours), points=points, occurred_at=when,
    )
    return entry


@pytest.fixture
def trainee(client):
    user = User.objects.get(username="trainee")
    client.force_login(user)
    return user


def test_anonymous_is_sent_to_the_login_page(client):
    for url in ("/me/", "/me/history/", "/me/tokens/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_me_shows_this_years_totals_streak_activity_and_courses(client, trainee):
    year = timezone.localdate().year
    _credit(trainee, 1, when=_at(year, 1, 5), hours="1.5", points=10, title="红心物业的几种模式")
    _credit(trainee, 2, when=_at(year, 1, 6), hours="0.75", points=7, title="居民评价物业机制")
    _credit(trainee, 3, when=_at(year - 1, 12, 30), hours="9", points=90, title="去年的课时")

    response = client.get("/me/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的学习" in html and "learning/me.css" in html
    totals = response.context["totals"]
    assert (totals["credit_hours"], totals["points"], totals["activities"]) == (Decimal("2.25"), 17, 2)
    assert "<strong>2.25</strong>" in html and "<strong>17</strong>" in html
    assert "连续学习 <strong>0</strong> 个工作日" in html
    assert "红心物业的几种模式" in html and "居民评价物业机制" in html
    # The demo class (红旗街道) enrolls the trainee in three required courses, with a deadline.
    demo_class = TrainingClass.objects.get(name="2026年红旗街道社区工作者线上集中培训班")
    days_left = (demo_class.ends_on - timezone.localdate()).days
    assert demo_class.name in html and f"还剩 {days_left} 天" in html
    assert html.count('<progress class="me-progress"') == len(response.context["courses"]) + 1
    assert "今日一课" in html and ("去学习今日一课" in html or "今日一课已完成" in html)


def test_continue_learning_shows_the_latest_unfinished_lesson_and_position(client, trainee):
    lessons = list(LessonPage.objects.live().order_by("path")[:3])
    LessonProgress.objects.create(user=trainee, page=lessons[0], position_seconds=30)
    LessonProgress.objects.create(user=trainee, page=lessons[1], position_seconds=125.6)
    LessonProgress.objects.create(user=trainee, page=lessons[2], position_seconds=5, completed_at=timezone.now())
    LessonProgress.objects.filter(page=lessons[2]).update(updated_at=timezone.now() + dt.timedelta(minutes=5))

    html = client.get("/me/").content.decode()
    assert "继续学习" in html
    assert lessons[1].title in html and "上次学到 02:05" in html
    assert lessons[1].url in html


def test_todays_lesson_shows_a_button_until_it_is_done(client, trainee):
    lesson = cms_selectors.current_daily_lesson()
    html = client.get("/me/").content.decode()
    assert "去学习今日一课" in html and lesson.url in html and "今日一课已完成" not in html

    LessonProgress.objects.create(user=trainee, page=lesson, position_seconds=8, completed_at=timezone.now())
    html = client.get("/me/").content.decode()
    assert "✓ 今日一课已完成" in html and "去学习今日一课" not in html


def test_empty_states_say_what_to_do_next(client):
    user = User.objects.create_user("newcomer", password="x")
    client.force_login(user)
    html = client.get("/me/").content.decode()
    assert "你还没有选课" in html and 'href="/courses/"' in html
    assert "还没有学习记录" in html and 'href="/daily/today/"' in html
    assert "继续学习" not in html
    history = client.get("/me/history/").content.decode()
    assert "还没有学习记录" in history


def test_nothing_of_another_trainee_appears(client, trainee):
    other = User.objects.get(username="trainee01")
    year = timezone.localdate().year
    _credit(other, 1, when=_at(year, 1, 5), hours="3", points=33, title="别人的学习记录")
    lesson = LessonPage.objects.live().order_by("path").last()
    LessonProgress.objects.create(user=other, page=lesson, position_seconds=61)
    course = CoursePage.objects.live().filter(self_enroll_open=True).order_by("-path").first()
    Enrollment.objects.filter(user=trainee, course=course).delete()
    Enrollment.objects.get_or_create(user=other, course=course, defaults={"source": Enrollment.Source.SELF})

    for url in ("/me/", "/me/history/"):
        html = client.get(url).content.decode()
        assert "别人的学习记录" not in html
        assert "<strong>33</strong>" not in html
    me = client.get("/me/")
    assert lesson.title not in me.content.decode()
    assert course.pk not in {row["course"].pk for row in me.context["courses"]}
    assert me.context["totals"]["points"] == 0


def test_history_totals_pagination_and_year_selector(client, trainee):
    year = timezone.localdate().year
    for n in range(45):
        _credit(trainee, n + 1, when=_at(year, 1, 2) + dt.timedelta(minutes=n), hours="0.5", points=2)
    _credit(trainee, 100, when=_at(year - 2, 6, 1), hours="4", points=40, title="前年的记录")

    first = client.get("/me/history/")
    assert first.status_code == 200
    assert first.context["page_obj"].paginator.num_pages == 3
    assert len(first.context["page_obj"].object_list) == 20
    totals = first.context["totals"]
    # 90 积分 credited on one day count 10, the daily cap — the figure the growth page shows too — and the
    # page says why the entries add up to more.
    assert (totals["credit_hours"], totals["points"], totals["activities"]) == (Decimal("22.5"), 10, 45)
    html = first.content.decode()
    assert "<strong>10</strong>" in html and "每日积分上限 10 分" in html and "超出的 80 分不计入" in html
    assert "第 1 / 3 页" in html and f"?year={year}&amp;page=2" in html
    assert f'<option value="{year - 2}">' in html  # years with entries are offered

    last = client.get(f"/me/history/?year={year}&page=3")
    assert len(last.context["page_obj"].object_list) == 5
    assert "课时记录 1<" in last.content.decode()  # the oldest entry comes last

    older = client.get(f"/me/history/?year={year - 2}")
    assert older.context["totals"]["activities"] == 1
    assert "前年的记录" in older.content.decode() and "课时记录" not in older.content.decode()


@pytest.mark.parametrize("year", ["abc", "20x6", "1999", "99999", "-1", "２０２６"])
def test_malformed_year_is_a_400_with_a_chinese_message(client, trainee, year):
    response = client.get("/me/history/", {"year": year})
    assert response.status_code == 400
    html = response.content.decode()
    assert "年份" in html and "无效" in html and "四位数字年份" in html


# --- one tab bar on every page of 我的 -----------------------------------------------------------

ME_TABS = [("/me/", "学习概况"), ("/me/history/", "学习台账"), ("/classroom/", "面授课程"), ("/me/growth/", "成长档案"),
           ("/me/journal/", "学习日志"), ("/me/certificates/", "我的证书"), ("/me/notifications/", "通知")]


def _me_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _me_routes(pattern, route)
        elif route.startswith("me/"):
            yield route


def _tabs(html: str) -> list[tuple[str, str, bool]]:
    navs = re.findall(r'<nav class="me-tabs"[^>]*>(.*?)</nav>', html, re.S)
    assert len(navs) == 1, "one tab bar"
    return [(href, text, bool(current)) for href, current, text in
            re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', navs[0])]


def test_every_me_page_shows_the_same_tabs_with_its_own_marked(client, trainee):
    """Every page a trainee can open under /me/ (found from the URL patterns, error pages too) carries the
    one tab bar reaching all seven pages, in the same order, with exactly the current page marked."""
    args = {"<int:user_id>": str(trainee.pk)}  # one's own growth page by id is the same page
    pages = {}
    for route in _me_routes():
        for placeholder, value in args.items():
            route = route.replace(placeholder, value)
        if "<" in route:
            continue  # an object's id: a PDF, a redirect to a notice's link, a POST-only action
        for url in (f"/{route}", f"/{route}?year=abc"):
            response = client.get(url)
            if response.status_code in (200, 400) and response["Content-Type"].startswith("text/html"):
                pages[url] = response.content.decode()
    assert {"/me/", "/me/history/?year=abc", "/me/growth/", f"/me/growth/{trainee.pk}/", "/me/journal/",
            "/me/certificates/", "/me/notifications/", "/me/tokens/"} <= set(pages), sorted(pages)

    own = {href for href, _ in ME_TABS}
    for url, html in pages.items():
        tabs = _tabs(html)
        assert [(href, text) for href, text, _ in tabs[:7]] == ME_TABS, url
        path = url.split("?")[0].replace(f"growth/{trainee.pk}/", "growth/")
        marked = [href for href, _, current in tabs if current]
        if path in own:
            assert marked == [path], f"{url} marks {marked}"
            assert len(tabs) == 7, f"{url}: a trainee is not offered more tabs"
        else:  # /me/tokens/, reached by its address: its own tab shows only so it can be marked
            assert marked == [path] and len(tabs) == 8, url


# --- query counts -------------------------------------------------------------------------


def _extra_courses(count: int) -> list[CoursePage]:
    index = CourseIndexPage.objects.get()
    template = CoursePage.objects.live().first()
    courses = []
    for n in range(count):
        course = CoursePage(title=f"补充课程 {n}", slug=f"extra-course-{n}", summary="补充课程", track=template.track)
        index.add_child(instance=course)
        course.save_revision().publish()
        for m in range(2):
            lesson = LessonPage(title=f"补充课程 {n} 第 {m + 1} 课", slug=f"lesson-{m}", min_reading_seconds=60)
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        courses.append(course)
    return courses


def _queries(client, url) -> int:
    client.get(url)  # warm what every request shares (site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _enroll_with_progress(user, courses):
    for course in courses:
        Enrollment.objects.get_or_create(user=user, course=course, defaults={"source": Enrollment.Source.SELF})
        lessons = list(LessonPage.objects.live().child_of(course))
        LessonProgress.objects.get_or_create(
            user=user, page=lessons[0], defaults={"position_seconds": 42, "completed_at": timezone.now()}
        )
        LessonProgress.objects.get_or_create(user=user, page=lessons[-1], defaults={"position_seconds": 7})


def test_query_counts_do_not_grow_with_enrollments(client, trainee):
    year = timezone.localdate().year
    existing = set(Enrollment.objects.filter(user=trainee).values_list("course_id", flat=True))
    demo_courses = [c for c in CoursePage.objects.live() if c.pk not in existing]
    _enroll_with_progress(trainee, demo_courses[: 5 - len(existing)])
    for n in range(10):
        _credit(trainee, n + 1, when=_at(year, 1, 2) + dt.timedelta(minutes=n))
    assert Enrollment.objects.filter(user=trainee).count() == 5
    small = (_queries(client, "/me/"), _queries(client, "/me/history/"))

    enrolled = set(Enrollment.objects.filter(user=trainee).values_list("course_id", flat=True))
    candidates = [c for c in CoursePage.objects.live() if c.pk not in enrolled]
    candidates += _extra_courses(50 - len(enrolled) - len(candidates))
    _enroll_with_progress(trainee, candidates)
    for n in range(10, 60):
        _credit(trainee, n + 1, when=_at(year, 1, 2) + dt.timedelta(minutes=n))
    assert Enrollment.objects.filter(user=trainee).count() == 50
    large = (_queries(client, "/me/"), _queries(client, "/me/history/"))

    print("query counts (/me/, /me/history/):", small, large)
    assert small == large, f"/me/ and /me/history/ must not grow with enrollments: {small} vs {large}"
    assert large[0] <= 25, f"/me/ should stay cheap, got {large[0]} queries"


# --- a 360 px phone ---------------------------------------------------------------------------

PHONE_WIDTH = 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_me_pages_fit_a_360px_phone(live_server, phone_page):
    from django.core.management import call_command
    from playwright.sync_api import expect

    call_command("load_demo_data", "--skip-index", verbosity=0)  # the flushed database of a live-server test
    trainee = User.objects.get(username="trainee")
    year = timezone.localdate().year
    for n in range(25):
        _credit(trainee, n + 1, when=_at(year, 1, 2) + dt.timedelta(minutes=n),
                title=f"社区党组织领导下的居民自治与物业服务协同机制建设实务第{n + 1}讲（含案例研讨）")
    LessonProgress.objects.create(user=trainee, page=LessonPage.objects.live().first(), position_seconds=95)

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/me/")
    page.fill("input[name=login]", "trainee")
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的学习")
    overflow = "document.documentElement.scrollWidth"
    assert page.evaluate(overflow) <= PHONE_WIDTH, "/me/ scrolls sideways on a 360 px phone"
    expect(page.get_by_role("progressbar").first).to_be_visible()

    page.get_by_role("link", name="学习台账").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学习台账")
    assert page.evaluate(overflow) <= PHONE_WIDTH, "/me/history/ scrolls sideways on a 360 px phone"
    page.get_by_role("link", name="下一页").click()
    expect(page.locator(".pagination")).to_contain_text("第 2 / 2 页")

    # One tab bar on every page of 我的, in the same order, the current page marked; none scrolls sideways.
    tabs = page.locator("nav.me-tabs a")
    names = ["学习概况", "学习台账", "面授课程", "成长档案", "学习日志", "我的证书", "通知"]
    expect(tabs).to_have_text(names)  # a trainee is not offered API 令牌
    for name in names:
        page.locator("nav.me-tabs").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("nav.me-tabs a[aria-current=page]")).to_have_text(name)
        expect(tabs).to_have_text(names)
        assert page.evaluate(overflow) <= PHONE_WIDTH, f"{page.url} scrolls sideways on a 360 px phone"

    page.goto(f"{live_server.url}/me/tokens/")
    page.get_by_label("令牌名称").fill("街道数据看板（每天同步学时）")
    page.get_by_role("button", name="创建令牌").click()
    expect(page.locator("#me-token-plaintext")).to_contain_text("wagtail_")
    assert page.evaluate(overflow) <= PHONE_WIDTH, "/me/tokens/ scrolls sideways on a 360 px phone"
