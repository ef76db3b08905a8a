"""/me/growth/ (成长档案): who may open whose, what it shows, a chart served from the site, fixed queries.

GrowthRecord and GrowthSnapshot rows are written here directly as fixtures: in the application only
`growth.services` writes them, and this page only reads them.
"""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from cms.models import LessonPage
from growth.models import GrowthRecord, GrowthSnapshot
from learning.models import JournalEntry, JournalReview, LedgerEntry
from learning.services.journal import body_digest
from orgs.api import Organization, TraineeProfile

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 6, 17)  # a Wednesday; June 2026 has the 端午 holiday on Friday the 19th


@pytest.fixture(autouse=True)
def _frozen_today(request):
    if request.node.get_closest_marker("browser"):  # a live server and a browser run on the real clock
        yield
        return
    with time_machine.travel(dt.datetime(2026, 6, 17, 10, 0, tzinfo=TZ), tick=False):
        yield


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _record(user, **fields) -> GrowthRecord:
    defaults = {"credit_hours": Decimal("12.5"), "points": 48, "target_hours": Decimal("50"), "current_streak": 3,
                "longest_streak": 7, "streak_last_day": TODAY - dt.timedelta(days=1), "daily_count": 9,
                "lesson_count": 11, "course_count": 1, "case_count": 2, "quiz_count": 3, "journal_count": 4}
    return GrowthRecord.objects.create(user=user, **{"year": 2026, **defaults, **fields})


# --- access -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client):
    trainee = _user("trainee")
    for url in ("/me/growth/", f"/me/growth/{trainee.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_a_trainee_sees_their_own_page_and_nobody_elses(client):
    trainee = _user("trainee")
    client.force_login(trainee)
    assert client.get("/me/growth/").status_code == 200
    assert client.get(f"/me/growth/{trainee.pk}/").status_code == 200
    assert client.get(f"/me/growth/{_user('trainee01').pk}/").status_code == 404
    assert client.get("/me/growth/999999/").status_code == 404


@pytest.mark.parametrize(("viewer", "target", "status"), [
    ("trainer", "trainee", 200),
    ("trainer", "trainee01", 200),
    ("admin", "trainee01", 200),  # superuser
    ("street_admin", "trainee", 200),  # 长山花园社区 is in 红旗街道
    ("street_admin", "trainee01", 404),  # another district's trainee
    ("district_admin", "trainee06", 200),  # 南湖社区, another street of 朝阳区
    ("district_admin", "trainee01", 404),
    ("reviewer", "trainee", 404),  # a content reviewer is neither trainer nor administrator
    ("trainee02", "trainee", 404),
    ("trainer", "reviewer", 404),  # not a trainee: there is no growth page
])
def test_trainers_and_scoped_administrators_may_open_a_trainees_page(client, viewer, target, status):
    client.force_login(_user(viewer))
    response = client.get(f"/me/growth/{_user(target).pk}/")
    assert response.status_code == status
    if status == 200:
        name = TraineeProfile.objects.get(user__username=target).real_name
        assert f"{name}的成长档案" in response.content.decode()


def test_the_demo_organisations_are_what_these_cases_assume():
    def path(username):
        return TraineeProfile.objects.get(user__username=username).organization.path

    street, district = (Organization.objects.get(code=code).path for code in ("22010401", "220104"))
    assert path("trainee").startswith(street)
    assert path("trainee06").startswith(district) and not path("trainee06").startswith(street)
    assert not path("trainee01").startswith(district)


# --- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["abc", "20x6", "1999", "２０２６"])
def test_malformed_year_is_a_400_with_a_chinese_message(client, year):
    client.force_login(_user("trainee"))
    response = client.get("/me/growth/", {"year": year})
    assert response.status_code == 400
    assert "年份" in response.content.decode() and "四位数字年份" in response.content.decode()


def test_without_a_record_the_page_shows_zeros_and_explains_when_it_updates(client):
    client.force_login(_user("trainee"))
    response = client.get("/me/growth/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "约一分钟内自动更新" in html
    assert "<strong>0</strong> / 50 学时" in html and 'value="0"' in html
    assert response.context["record_stored"] is False


def test_totals_target_bar_streak_calendar_and_chart(client):
    trainee = _user("trainee")
    _record(trainee)
    for weeks_ago, hours in ((0, "1.5"), (1, "3"), (2, "0.25"), (12, "9")):
        GrowthSnapshot.objects.create(user=trainee, week_start=dt.date(2026, 6, 15) - dt.timedelta(weeks=weeks_ago),
                                      credit_hours=Decimal(hours), points=3, activities=2)
    for n, (day, hour) in enumerate(((15, 9), (13, 10), (17, 8))):  # Monday, Saturday, today
        LedgerEntry.objects.create(user=trainee, kind=LedgerEntry.Kind.LESSON, object_id=n + 1, title=f"课时 {n}",
                                   credit_hours=Decimal("0.5"), points=2,
                                   occurred_at=dt.datetime(2026, 6, day, hour, tzinfo=TZ))
    client.force_login(trainee)
    response = client.get("/me/growth/")
    html = response.content.decode()

    assert "<strong>12.5</strong> / 50 学时" in html and "（25%）" in html
    assert '<progress class="me-progress growth-target" max="100" value="25"' in html
    assert "距离年度目标还差 37.5 学时" in html
    assert response.context["streak"] == 3  # its last day was yesterday, a workday: still running
    for label in ("当前连续学习（工作日）", "最长连续学习", "每日一课", "测验通过", "学习日志"):
        assert label in html

    calendar = response.context["calendar"]
    cells = {cell["date"]: cell for week in calendar["weeks"] for cell in week if cell}
    assert len(cells) == 30 and calendar["month"] == dt.date(2026, 6, 1)
    assert cells[dt.date(2026, 6, 15)]["active"] and cells[dt.date(2026, 6, 15)]["workday"]
    assert cells[dt.date(2026, 6, 13)]["active"] and not cells[dt.date(2026, 6, 13)]["workday"]
    assert not cells[dt.date(2026, 6, 19)]["workday"]  # 端午节
    assert cells[dt.date(2026, 6, 17)]["today"]
    assert calendar["active_workdays"] == 2
    assert 'class="workday active today"' in html and 'class="rest active"' in html

    svg = re.search(r"<svg class=\"growth-chart\".*?</svg>", html, re.S).group(0)
    assert 'viewBox="0 0 360 200"' in svg and 'role="img"' in svg
    assert svg.count("<rect") == 12
    assert ">1.5<" in svg and ">3<" in svg and ">0.25<" in svg and ">9<" not in svg  # 12 weeks back: outside
    assert ">6/15<" in svg and ">6/1<" in svg and ">4/6<" in svg  # every other week is labelled, back from the latest
    assert ">6/8<" not in svg and "3月30日这一周：0 学时" in svg  # the others in their tooltip and the table
    assert "合计 4.75 学时" in svg


def test_nothing_is_loaded_from_another_site(client):
    trainee = _user("trainee")
    _record(trainee)
    client.force_login(trainee)
    html = client.get("/me/growth/").content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", html))  # our own files, none inline
    for href in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert href.startswith(("/", "?", "#")), href


def test_certificates_and_reviewed_journals(client):
    trainee, trainer = _user("trainee"), _user("trainer")
    _record(trainee)
    certificate = Certificate.objects.create(
        user=trainee, kind=Certificate.Kind.COURSE, object_id=1, title="社区治理基础课程结业", holder_name="张小梅",
        credit_hours=Decimal("6"), issued_on=dt.date(2026, 6, 1), issuer="社区干部网络学院", code="ABCD2345",
    )
    revoked = Certificate.objects.create(
        user=trainee, kind=Certificate.Kind.COURSE, object_id=2, title="已撤销的证书", holder_name="张小梅",
        issued_on=dt.date(2026, 5, 1), issuer="社区干部网络学院", code="WXYZ2345", revoked_at=dt.datetime(2026, 5, 2, tzinfo=TZ),
    )
    lesson = LessonPage.objects.live().first()
    reviewed = JournalEntry.objects.create(user=trainee, page=lesson, body="学习了议事协商的五个步骤。",
                                           body_digest=body_digest("学习了议事协商的五个步骤。"))
    JournalReview.objects.create(entry=reviewed, reviewer=trainer, grade=JournalReview.Grade.EXCELLENT,
                                 comment="结合社区实际，思考深入。")
    JournalEntry.objects.create(user=trainee, page=lesson, body="还在思考楼道议事的做法。",
                                body_digest=body_digest("还在思考楼道议事的做法。"))

    client.force_login(trainee)
    html = client.get("/me/growth/").content.decode()
    assert f'href="/me/certificates/{certificate.pk}.pdf"' in html and "ABCD2345" in html
    assert f"/me/certificates/{revoked.pk}.pdf" not in html and "已撤销" in html
    assert "学习了议事协商的五个步骤" in html and "优秀" in html and "结合社区实际，思考深入。" in html
    assert "李红" in html  # the reviewer
    assert "待导师评价" in html

    client.force_login(trainer)
    other = client.get(f"/me/growth/{trainee.pk}/").content.decode()
    assert "社区治理基础课程结业" in other and "结合社区实际" in other
    assert ".pdf" not in other  # the PDF download is the holder's


def test_past_years_show_their_own_record(client):
    trainee = _user("trainee")
    _record(trainee)
    GrowthRecord.objects.create(user=trainee, year=2025, credit_hours=Decimal("51"), target_hours=Decimal("50"),
                                current_streak=4, streak_last_day=dt.date(2025, 12, 31))
    client.force_login(trainee)
    response = client.get("/me/growth/?year=2025")
    html = response.content.decode()
    assert response.context["record"].year == 2025 and "已完成年度学时目标" in html
    assert response.context["calendar"]["month"] == dt.date(2025, 12, 1)
    assert '<option value="2025" selected>' in html and '<option value="2026">' in html


# --- query count ------------------------------------------------------------------------------


def _grow(user, weeks: int) -> None:
    lesson = LessonPage.objects.live().first()
    monday = dt.date(2026, 6, 15)
    GrowthSnapshot.objects.bulk_create([
        GrowthSnapshot(user=user, week_start=monday - dt.timedelta(weeks=n), credit_hours=Decimal("1.5"), points=3,
                       activities=2) for n in range(weeks)
    ], ignore_conflicts=True)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(user=user, kind=LedgerEntry.Kind.LESSON, object_id=10_000 + n, title=f"课时 {n}",
                    credit_hours=Decimal("0.5"), points=2,
                    occurred_at=dt.datetime(2026, 6, 1, 9, tzinfo=TZ) + dt.timedelta(hours=n * 7))
        for n in range(weeks * 2)
    ], ignore_conflicts=True)
    Certificate.objects.bulk_create([
        Certificate(user=user, kind=Certificate.Kind.COURSE, object_id=20_000 + n, title=f"证书 {n}",
                    holder_name="张小梅", issued_on=dt.date(2026, 6, 1), issuer="学院", code=f"Q{user.pk}C{n:05d}")
        for n in range(weeks)
    ], ignore_conflicts=True)
    trainer = User.objects.get(username="trainer")
    existing = JournalEntry.objects.filter(user=user).count()
    entries = JournalEntry.objects.bulk_create([
        JournalEntry(user=user, page=lesson, body=f"日志 {n}", body_digest=body_digest(f"日志 {n}"))
        for n in range(existing, weeks)
    ])
    JournalReview.objects.bulk_create([
        JournalReview(entry=entry, reviewer=trainer, grade=JournalReview.Grade.GOOD, comment="很好")
        for entry in entries[::2]
    ])


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_history(client):
    trainee = _user("trainee")
    _record(trainee)
    _grow(trainee, 5)
    client.force_login(trainee)
    own_small = _queries(client, "/me/growth/")
    client.force_login(_user("street_admin"))
    admin_small = _queries(client, f"/me/growth/{trainee.pk}/")

    _grow(trainee, 50)
    admin_large = _queries(client, f"/me/growth/{trainee.pk}/")
    client.force_login(trainee)
    own_large = _queries(client, "/me/growth/")

    print("growth page queries (own, administrator):", (own_small, admin_small), (own_large, admin_large))
    assert (own_small, admin_small) == (own_large, admin_large)
    assert own_large <= 15  # 15th: the deployment's policy switches (合规开关), read once per request


# --- a 360 px phone ---------------------------------------------------------------------------

PHONE_WIDTH = 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_growth_and_notification_pages_fit_a_360px_phone(live_server, phone_page):
    from django.core.management import call_command
    from django.utils import timezone
    from playwright.sync_api import expect

    from notifications.models import Notification

    call_command("load_demo_data", "--skip-index", verbosity=0)  # the flushed database of a live-server test
    trainee = _user("trainee")
    today = timezone.localdate()
    _record(trainee, year=today.year, streak_last_day=today, current_streak=12)
    monday = today - dt.timedelta(days=today.weekday())
    GrowthSnapshot.objects.bulk_create([
        GrowthSnapshot(user=trainee, week_start=monday - dt.timedelta(weeks=n), credit_hours=Decimal(str(n % 5 + 0.25)))
        for n in range(12)
    ])
    Notification.objects.create(user=trainee, kind=Notification.Kind.DAILY_REMINDER, reason="phone",
                                title="今天的每日一课还没有学习", body="“党建引领社区治理的十个关键词”只需几分钟。")

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/me/growth/")
    page.fill("input[name=login]", "trainee")
    page.fill("input[name=password]", "demo12345")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("成长档案")
    overflow = "document.documentElement.scrollWidth"
    assert page.evaluate(overflow) <= PHONE_WIDTH, "/me/growth/ scrolls sideways on a 360 px phone"
    chart = page.locator("svg.growth-chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert 250 <= box["width"] <= PHONE_WIDTH and box["height"] > 100
    expect(page.get_by_role("progressbar").first).to_be_visible()

    page.get_by_role("link", name="通知").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("通知")
    assert page.evaluate(overflow) <= PHONE_WIDTH, "/me/notifications/ scrolls sideways on a 360 px phone"
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".notice-actions")).to_contain_text("0 条未读")
