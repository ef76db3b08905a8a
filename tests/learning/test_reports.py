"""The admin reports (培训班报表, 课程报表, 学时排行): an administrator sees their own subtree only — in the
page, the CSV and the XLSX export, whatever filter values they forge — with figures equal to a direct
computation, and a query count that does not grow with organisations or rows."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt, Quiz
from cms.models import CoursePage, LessonPage, Track
from growth.models import GrowthSnapshot
from learning.models import Enrollment, LedgerEntry, TrainingClass
from learning.services.enrollment import class_sync_enrollments
from orgs.api import Organization, TraineeProfile
from tests.helpers import login, org

pytestmark = pytest.mark.django_db

CLASS_URL = "/admin/reports/training-class/"
COURSE_URL = "/admin/reports/courses/"
RANKING_URL = "/admin/reports/hours-ranking/"
DISTRICT, OTHER_DISTRICT, OTHER_CITY = "220104", "220102", "2202"  # 朝阳区, 南关区, 吉林市
TZ = timezone.get_current_timezone()






def trainees_under(code) -> list[TraineeProfile]:
    return list(TraineeProfile.objects.filter(organization__path__startswith=org(code).path)
                .select_related("user", "organization").order_by("user__username"))


def at(day: dt.date, hour=10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def ledger(user, kind, object_id, hours, when, points=1):
    return LedgerEntry.objects.create(user=user, kind=kind, object_id=object_id, title="t", credit_hours=Decimal(hours),
                                      points=points, occurred_at=when)


def graded(quiz, user, number, score, max_score=10, when=None):
    when = when or timezone.now()
    return Attempt.objects.create(quiz=quiz, user=user, number=number, status=Attempt.Status.GRADED, seed=number,
                                  started_at=when, submitted_at=when, score=Decimal(score),
                                  max_score=Decimal(max_score), passed=Decimal(score) * 100 >= Decimal(max_score) * 60)


def csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel opens Chinese text as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def add_organizations(count: int) -> None:
    """`count` extra communities under 红旗街道 (inside the district administrator's scope), in bulk."""
    street = org("22010401")
    start = Organization.objects.filter(path__startswith=street.path, depth=street.depth + 1).count() + 1
    Organization.objects.bulk_create([
        Organization(name=f"测试社区{start + n}", code=f"T{start + n:06d}", level=Organization.Level.COMMUNITY, depth=street.depth + 1,
                     path=Organization._get_path(street.path, street.depth + 1, start + n), numchild=0)
        for n in range(count)
    ], batch_size=500)


def add_trainees(count: int, code="2201040101", prefix="bulk") -> list[User]:
    community = org(code)
    users = User.objects.bulk_create([User(username=f"{prefix}{n}", first_name=f"批量{n}") for n in range(count)])
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, real_name=f"批量学员{prefix}{n}", organization=community)
                                        for n, u in enumerate(users)])
    return users


def query_count(client, url, params) -> int:
    client.get(url, params)  # warm per-process caches (site, locale)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


# --- 培训班报表 ---------------------------------------------------------------------------------------

@pytest.fixture
def city_class():
    """A class for all of 长春市 plus one named trainee in 吉林市, two required courses with final exams,
    running through March 2026."""
    hongxin = CoursePage.objects.get(slug="hongxin-wuye-shiwu")
    shuji = CoursePage.objects.get(slug="shuji-linghang-xiangmu")
    training_class = TrainingClass.objects.create(name="长春市书记轮训班", organization=org("2201"),
                                                  starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31))
    training_class.courses.set([hongxin, shuji])
    training_class.member_organizations.set([org("2201")])
    outsider = trainees_under(OTHER_CITY)[0]
    training_class.member_users.set([outsider.user])
    class_sync_enrollments(class_ids=[training_class.pk])
    return training_class, hongxin, shuji


def test_the_class_report_asks_for_a_class_first(city_class):
    response = login("district_admin").get(CLASS_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请先点击“筛选”，选择一个培训班" in page
    assert not any(p.real_name in page for p in trainees_under(DISTRICT))


def test_the_class_report_shows_the_district_members_with_their_figures(city_class):
    training_class, hongxin, shuji = city_class
    star = trainees_under(DISTRICT)[0]
    Enrollment.objects.filter(user=star.user, course=hongxin).update(completed_at=at(dt.date(2026, 3, 5)))
    ledger(star.user, "lesson", 900001, "1.50", at(dt.date(2026, 3, 2)))
    ledger(star.user, "lesson", 900002, "0.50", at(dt.date(2026, 3, 31), 23))
    ledger(star.user, "lesson", 900003, "4.00", at(dt.date(2026, 4, 1), 9))  # after the class: not counted
    hongxin_exam = Quiz.objects.create(title="红心物业结业考试", page=hongxin)
    shuji_exam = Quiz.objects.get(page=shuji)
    graded(hongxin_exam, star.user, 1, 6)
    graded(hongxin_exam, star.user, 2, 8)  # best 80
    graded(shuji_exam, star.user, 1, 9)  # 90 → average 85.0
    foreign = trainees_under(OTHER_DISTRICT) + [trainees_under(OTHER_CITY)[0]]

    client = login("district_admin")
    response = client.get(CLASS_URL, {"training_class": training_class.pk})
    page = response.content.decode()
    assert response.status_code == 200
    for profile in trainees_under(DISTRICT):
        assert profile.real_name in page
    for profile in foreign:
        assert profile.real_name not in page

    rows = xlsx_rows(client.get(CLASS_URL, {"training_class": training_class.pk, "export": "xlsx"}))
    assert rows[0] == ("姓名", "所属组织", "完成进度（%）", "学时", "考试成绩", "最近学习")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {p.real_name for p in trainees_under(DISTRICT)}
    name, organization, progress, hours, score, last = by_name[star.real_name]
    assert (organization, progress, hours, score) == (star.organization.name, 50, 2, 85)
    assert last == at(dt.date(2026, 4, 1), 9).replace(tzinfo=None)  # Beijing time, the latest entry, any range
    others = [row for n, row in by_name.items() if n != star.real_name]
    assert all(row[2] == 0 and row[3] == 0 and row[4] is None for row in others)

    text = csv_rows(client.get(CLASS_URL, {"training_class": training_class.pk, "export": "csv"}))
    assert text[0] == ["姓名", "所属组织", "完成进度（%）", "学时", "考试成绩", "最近学习"]
    assert {row[0] for row in text[1:]} == set(by_name)
    assert next(row for row in text if row[0] == star.real_name)[2:] == ["50.0", "2.00", "85.0", "2026-04-01 09:00"]

    # A chosen range replaces the class's dates; an organisation narrows to its subtree.
    wide = xlsx_rows(client.get(CLASS_URL, {"training_class": training_class.pk, "date_range_from": "2026-03-01",
                                            "date_range_to": "2026-04-30", "organization": star.organization.pk,
                                            "export": "xlsx"}))
    assert {row[0] for row in wide[1:]} == {p.real_name for p in trainees_under(star.organization.code)}
    assert next(row for row in wide if row[0] == star.real_name)[3] == 6


def test_the_superuser_sees_every_member_including_the_named_one(city_class):
    training_class, *_ = city_class
    rows = xlsx_rows(login("admin").get(CLASS_URL, {"training_class": training_class.pk, "export": "xlsx"}))
    expected = trainees_under("2201") + [trainees_under(OTHER_CITY)[0]]
    assert {row[0] for row in rows[1:]} == {p.real_name for p in expected}


def test_forged_filters_show_nothing_foreign(city_class):
    training_class, *_ = city_class
    jilin_class = TrainingClass.objects.create(name="吉林市专题班", organization=org(OTHER_CITY),
                                               starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31))
    jilin_class.member_organizations.set([org(OTHER_CITY)])
    foreign = trainees_under(OTHER_DISTRICT) + trainees_under(OTHER_CITY)
    client = login("district_admin")
    for params in ({"training_class": training_class.pk, "organization": org(OTHER_DISTRICT).pk},
                   {"training_class": jilin_class.pk}):
        page = client.get(CLASS_URL, params).content.decode()
        assert "筛选条件无效" in page
        assert not any(p.real_name in page for p in foreign + trainees_under(DISTRICT))
        assert xlsx_rows(client.get(CLASS_URL, {**params, "export": "xlsx"}))[1:] == []
        assert len(csv_rows(client.get(CLASS_URL, {**params, "export": "csv"}))) == 1


def test_the_class_report_query_count_does_not_grow(city_class, django_assert_num_queries):
    training_class, *_ = city_class
    client = login("district_admin")
    params = {"training_class": training_class.pk}
    add_organizations(10)
    few = query_count(client, CLASS_URL, params)
    add_organizations(1000)
    for user in add_trainees(80):  # more than a page of members, each with ledger entries
        ledger(user, "lesson", 1, "1.00", at(dt.date(2026, 3, 3)))
    with django_assert_num_queries(few):
        response = client.get(CLASS_URL, params)
    assert response.context["paginator"].count > 50 and len(response.context["object_list"]) == 50


# --- 课程报表 ---------------------------------------------------------------------------------------

def test_the_course_report_counts_only_the_district_trainees():
    course = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    inside, outside = trainees_under(DISTRICT)[:3], trainees_under(OTHER_DISTRICT)[:2] + trainees_under(OTHER_CITY)[:2]
    done = at(dt.date(2026, 5, 10))
    for n, profile in enumerate(inside + outside):
        Enrollment.objects.create(user=profile.user, course=course, source="self",
                                  completed_at=done if n != 0 else None)
        ledger(profile.user, "lesson", lessons[0].pk, "0.50", done)
        if n != 0:
            ledger(profile.user, "course", course.pk, "1.00", done)
    ledger(inside[1].user, "lesson", lessons[1].pk, "0.25", at(dt.date(2026, 6, 1)))

    client = login("district_admin")
    rows = xlsx_rows(client.get(COURSE_URL, {"export": "xlsx"}))
    assert rows[0] == ("课程", "专题", "选课人数", "完成人数", "完成率（%）", "学时合计")
    row = next(r for r in rows if r[0] == course.title)
    assert row == (course.title, course.track.name, 3, 2, 66.7, 3.75)  # 3 × 0.5 + 0.25 + 2 × 1.0
    page = client.get(COURSE_URL).content.decode()
    assert course.title in page and "66.7%" in page

    # A completion range counts only completions (and hours) inside it; the enrolled stay.
    may = xlsx_rows(client.get(COURSE_URL, {"date_range_from": "2026-05-01", "date_range_to": "2026-05-31",
                                            "export": "xlsx"}))
    assert next(r for r in may if r[0] == course.title)[2:] == (3, 2, 66.7, 3.5)
    # Track and organisation filters.
    other_track = Track.objects.exclude(pk=course.track_id).first()
    assert course.title not in client.get(COURSE_URL, {"track": other_track.pk}).content.decode()
    street = xlsx_rows(client.get(COURSE_URL, {"organization": inside[0].organization.pk, "export": "xlsx"}))
    expected = sum(1 for p in inside if p.organization.path.startswith(inside[0].organization.path))
    assert next(r for r in street if r[0] == course.title)[2] == expected

    text = csv_rows(client.get(COURSE_URL, {"export": "csv"}))
    assert text[0] == ["课程", "专题", "选课人数", "完成人数", "完成率（%）", "学时合计"]
    assert next(r for r in text if r[0] == course.title)[2:] == ["3", "2", "66.7", "3.75"]

    superuser = xlsx_rows(login("admin").get(COURSE_URL, {"export": "xlsx"}))
    assert next(r for r in superuser if r[0] == course.title)[2:4] == (7, 6)


def test_the_course_report_rejects_a_foreign_organization():
    course = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    for profile in trainees_under(OTHER_DISTRICT):
        Enrollment.objects.create(user=profile.user, course=course, source="self")
    client = login("district_admin")
    page = client.get(COURSE_URL, {"organization": org(OTHER_DISTRICT).pk}).content.decode()
    assert "筛选条件无效" in page and course.title not in page
    assert xlsx_rows(client.get(COURSE_URL, {"organization": org(OTHER_DISTRICT).pk, "export": "xlsx"}))[1:] == []
    honest = xlsx_rows(client.get(COURSE_URL, {"export": "xlsx"}))
    assert next(r for r in honest if r[0] == course.title)[2] == 0


def test_the_course_report_query_count_does_not_grow(django_assert_num_queries):
    client = login("district_admin")
    add_organizations(10)
    few = query_count(client, COURSE_URL, {})
    add_organizations(1000)
    course = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    lesson = LessonPage.objects.child_of(course).first()
    for user in add_trainees(60):
        Enrollment.objects.create(user=user, course=course, source="self", completed_at=timezone.now())
        ledger(user, "lesson", lesson.pk, "0.50", timezone.now())
    with django_assert_num_queries(few):
        client.get(COURSE_URL, {})


# --- 学时排行 ---------------------------------------------------------------------------------------

def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_the_ranking_sums_this_years_weeks_of_the_district_only():
    year = timezone.localdate().year
    first_monday = monday_of(dt.date(year, 1, 1)) + dt.timedelta(days=7)
    inside, outside = trainees_under(DISTRICT), trainees_under(OTHER_DISTRICT) + trainees_under(OTHER_CITY)
    a, b, c = inside[:3]
    GrowthSnapshot.objects.all().delete()  # the demo's own activity: start from known weeks
    GrowthSnapshot.objects.bulk_create([
        GrowthSnapshot(user=a.user, week_start=first_monday, credit_hours=Decimal("3.00"), points=30, activities=4),
        GrowthSnapshot(user=a.user, week_start=first_monday + dt.timedelta(days=7), credit_hours=Decimal("2.50"),
                       points=20, activities=3),
        GrowthSnapshot(user=a.user, week_start=dt.date(year - 1, 6, 2), credit_hours=Decimal("40"), points=400,
                       activities=40),  # last year: outside the default range
        GrowthSnapshot(user=b.user, week_start=first_monday, credit_hours=Decimal("2.00"), points=10, activities=1),
        GrowthSnapshot(user=c.user, week_start=first_monday, credit_hours=Decimal("2.00"), points=10, activities=2),
        *[GrowthSnapshot(user=p.user, week_start=first_monday, credit_hours=Decimal("99"), points=999, activities=9)
          for p in outside],
    ])
    client = login("district_admin")
    rows = xlsx_rows(client.get(RANKING_URL, {"export": "xlsx"}))
    assert rows[0] == ("排名", "姓名", "所属组织", "学时", "积分", "学习次数")
    assert rows[1] == (1, a.real_name, a.organization.name, 5.5, 50, 7)
    assert {rows[2][1], rows[3][1]} == {b.real_name, c.real_name} and rows[2][0] == rows[3][0] == 2
    assert rows[2][3:5] == (2, 10)
    assert rows[4][0] == 4 and rows[4][3] == 0
    assert {row[1] for row in rows[1:]} == {p.real_name for p in inside}

    page = client.get(RANKING_URL).content.decode()
    assert "按周统计" in page and a.real_name in page
    assert not any(p.real_name in page for p in outside)

    text = csv_rows(client.get(RANKING_URL, {"export": "csv"}))
    assert text[0] == ["排名", "姓名", "所属组织", "学时", "积分", "学习次数"]
    assert text[1] == ["1", a.real_name, a.organization.name, "5.50", "50", "7"]

    # Weeks whose Monday lies in the range: only the first week.
    one_week = xlsx_rows(client.get(RANKING_URL, {"date_range_from": first_monday.isoformat(),
                                                  "date_range_to": (first_monday + dt.timedelta(days=6)).isoformat(),
                                                  "export": "xlsx"}))
    assert one_week[1][1] == a.real_name and one_week[1][3:] == (3, 30, 4)

    forged = client.get(RANKING_URL, {"organization": org(OTHER_DISTRICT).pk})
    assert "筛选条件无效" in forged.content.decode()
    assert not any(p.real_name in forged.content.decode() for p in outside)


def test_the_ranking_query_count_does_not_grow(django_assert_num_queries):
    client = login("district_admin")
    add_organizations(10)
    few = query_count(client, RANKING_URL, {})
    add_organizations(1000)
    monday = monday_of(timezone.localdate())
    GrowthSnapshot.objects.bulk_create([GrowthSnapshot(user=u, week_start=monday, credit_hours=Decimal(n % 7),
                                                       points=n, activities=1)
                                        for n, u in enumerate(add_trainees(120))])
    with django_assert_num_queries(few):
        response = client.get(RANKING_URL, {})
    assert len(response.context["object_list"]) == 50


# --- who may see the reports ----------------------------------------------------------------------

@pytest.mark.parametrize("url", [CLASS_URL, COURSE_URL, RANKING_URL])
def test_trainees_trainers_and_reviewers_are_denied(url):
    # A trainee never gets past the admin gate (403 or the login page); trainers and reviewers have
    # admin access but no organisation to administer: 403.
    trainee = login("trainee").get(url, {"export": "xlsx"})
    assert trainee.status_code in (302, 403) and not trainee.has_header("Content-Disposition")
    for username in ("trainer", "reviewer"):
        assert login(username).get(url).status_code == 403
        assert login(username).get(url, {"export": "csv"}).status_code == 403
    assert login("street_admin").get(url).status_code == 200
    assert login("admin").get(url).status_code == 200


def test_the_reports_menu_lists_the_reports_for_administrators_only():
    urls = [f'"url": "{url}"' for url in (CLASS_URL, COURSE_URL, RANKING_URL, "/admin/reports/quizzes/")]
    home = login("district_admin").get("/admin/").content.decode()  # the sidebar menu is JSON
    assert all(url in home for url in urls)
    trainer_home = login("trainer").get("/admin/").content.decode()
    assert not any(url in trainer_home for url in urls)
