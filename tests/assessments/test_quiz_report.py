"""测验报表 (assessments.admin_reports) and the final-exam score provider (assessments.scores).

The report counts only the graded attempts of trainees inside the administrator's subtree — in the
page, the CSV and the XLSX — and a forged organisation outside it shows nothing at all."""

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
from assessments.scores import final_exam_scores
from cms.models import CoursePage, LessonPage, Track
from learning.api import exam_scores
from learning.models import TrainingClass
from orgs.api import Organization, TraineeProfile
from tests.helpers import login, org

pytestmark = pytest.mark.django_db

URL = "/admin/reports/quizzes/"
HEADER = ("测验", "所属内容", "参加人数", "通过人数", "通过率（%）", "平均分")
TZ = timezone.get_current_timezone()






def users_under(code) -> list[User]:
    return [p.user for p in TraineeProfile.objects.filter(organization__path__startswith=org(code).path)
            .select_related("user").order_by("user__username")]


def graded(quiz, user, number, score, max_score=10, when=None, status=Attempt.Status.GRADED):
    when = when or timezone.now()
    done = status == Attempt.Status.GRADED
    return Attempt.objects.create(quiz=quiz, user=user, number=number, status=status, seed=number, started_at=when,
                                  submitted_at=when if done else None, score=Decimal(score) if done else None,
                                  max_score=Decimal(max_score),
                                  passed=(Decimal(score) * 100 >= Decimal(max_score) * 60) if done else None)


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def row_of(rows, title):
    return next(row for row in rows if row[0] == title)


@pytest.fixture
def exam():
    """A quiz on a course: three district trainees (one with two tries, one still answering) and two
    trainees outside 朝阳区 (南关区, 吉林市)."""
    course = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    quiz = Quiz.objects.create(title="网格党建结业考试", page=course)
    u1, u2, u3, u6 = users_under("220104")[:4]
    u4, u5 = users_under("220102")[0], users_under("2202")[0]
    march = dt.datetime(2026, 3, 10, 10, tzinfo=TZ)
    graded(quiz, u1, 1, 5, when=march)
    graded(quiz, u1, 2, 7)
    graded(quiz, u2, 1, 9)
    graded(quiz, u3, 1, 4)
    graded(quiz, u6, 1, 0, status=Attempt.Status.IN_PROGRESS)
    graded(quiz, u4, 1, 10)
    graded(quiz, u5, 1, 2)
    return quiz, course, (u1, u2, u3), (u4, u5)


def test_the_district_administrator_sees_only_their_trainees_attempts(exam):
    quiz, course, inside, _outside = exam
    client = login("district_admin")
    rows = xlsx_rows(client.get(URL, {"export": "xlsx"}))
    assert rows[0] == HEADER
    # 3 trainees, 2 passed (u1's second try, u2); average of 50, 70, 90, 40.
    assert row_of(rows, quiz.title) == (quiz.title, course.title, 3, 2, 66.7, 62.5)

    text = csv_rows(client.get(URL, {"export": "csv"}))
    assert tuple(text[0]) == HEADER
    assert row_of(text, quiz.title) == [quiz.title, course.title, "3", "2", "66.7", "62.5"]

    page = client.get(URL).content.decode()
    assert quiz.title in page and "66.7%" in page and "62.5" in page

    everyone = xlsx_rows(login("admin").get(URL, {"export": "xlsx"}))
    assert row_of(everyone, quiz.title)[2:] == (5, 3, 60.0, 61.7)  # (50+70+90+40+100+20) / 6


def test_filters_narrow_the_attempts(exam):
    quiz, course, (u1, u2, _u3), _outside = exam
    client = login("district_admin")
    street = TraineeProfile.objects.get(user=u1).organization
    expected = {u for u in (u1, u2, _u3) if TraineeProfile.objects.get(user=u).organization.path.startswith(street.path)}
    by_org = xlsx_rows(client.get(URL, {"organization": street.pk, "export": "xlsx"}))
    assert row_of(by_org, quiz.title)[2] == len(expected)

    training_class = TrainingClass.objects.create(name="测验筛选班", organization=org("220104"),
                                                  starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    training_class.member_users.set([u2])
    by_class = xlsx_rows(client.get(URL, {"training_class": training_class.pk, "export": "xlsx"}))
    assert row_of(by_class, quiz.title)[2:] == (1, 1, 100.0, 90.0)

    march = xlsx_rows(client.get(URL, {"date_range_from": "2026-03-01", "date_range_to": "2026-03-31",
                                       "export": "xlsx"}))
    assert row_of(march, quiz.title)[2:] == (1, 0, 0.0, 50.0)

    assert quiz.title in client.get(URL, {"track": course.track_id}).content.decode()
    other = Track.objects.exclude(pk=course.track_id).first()
    assert quiz.title not in client.get(URL, {"track": other.pk}).content.decode()
    lesson = LessonPage.objects.child_of(course).first()
    lesson_quiz = Quiz.objects.create(title="课时小测（网格）", page=lesson)
    assert lesson_quiz.title in client.get(URL, {"track": course.track_id}).content.decode()


def test_a_forged_organization_shows_nothing(exam):
    quiz, *_ = exam
    client = login("district_admin")
    forged = {"organization": org("220102").pk}
    page = client.get(URL, forged).content.decode()
    assert "筛选条件无效" in page and quiz.title not in page
    assert xlsx_rows(client.get(URL, {**forged, "export": "xlsx"})) == [HEADER]
    assert len(csv_rows(client.get(URL, {**forged, "export": "csv"}))) == 1
    jilin_class = TrainingClass.objects.create(name="吉林市班", organization=org("2202"),
                                               starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    jilin_class.member_organizations.set([org("2202")])
    assert xlsx_rows(client.get(URL, {"training_class": jilin_class.pk, "export": "xlsx"})) == [HEADER]


def test_who_may_see_the_quiz_report(exam):
    trainee = login("trainee").get(URL, {"export": "xlsx"})
    assert trainee.status_code in (302, 403) and not trainee.has_header("Content-Disposition")
    for username in ("trainer", "reviewer"):  # admin access, quiz permissions, but no organisation
        for params in ({}, {"export": "xlsx"}):
            response = login(username).get(URL, params)
            assert response.status_code == 403, username
            assert not response.has_header("Content-Disposition")
    assert login("street_admin").get(URL).status_code == 200


def test_the_query_count_does_not_grow(exam, django_assert_num_queries):
    client = login("district_admin")
    street = org("22010401")

    def add_organizations(count, offset):
        Organization.objects.bulk_create([
            Organization(name=f"测试社区{n}", code=f"Q{n:06d}", level=Organization.Level.COMMUNITY,
                         depth=street.depth + 1, path=Organization._get_path(street.path, street.depth + 1, n),
                         numchild=0) for n in range(offset, offset + count)], batch_size=500)

    add_organizations(10, 100)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    add_organizations(1000, 200)
    course = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    inside = users_under("220104")
    for n in range(60):  # more than a page of quizzes, each with attempts
        quiz = Quiz.objects.create(title=f"批量测验{n:02d}", page=course)
        for number, user in enumerate(inside[:3], start=1):
            graded(quiz, user, number, n % 11)
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    assert len(response.context["object_list"]) == 50


# --- the exam-score provider ----------------------------------------------------------------------

def test_the_provider_gives_the_best_final_exam_score_averaged_over_courses():
    course_a = CoursePage.objects.get(slug="wangge-dangjian-luxian")
    course_b = CoursePage.objects.get(slug="hongxin-wuye-shiwu")
    exam_a = Quiz.objects.create(title="A 结业考试", page=course_a)
    exam_b = Quiz.objects.create(title="B 结业考试", page=course_b)
    lesson_quiz = Quiz.objects.create(title="课时小测", page=LessonPage.objects.child_of(course_a).first())
    alice, bob, carol = users_under("220104")[:3]
    graded(exam_a, alice, 1, 2, max_score=3)  # 66.67
    graded(exam_a, alice, 2, 1, max_score=3)
    graded(exam_b, alice, 1, 9)  # 90 → (66.67 + 90) / 2 = 78.3
    graded(lesson_quiz, alice, 1, 10)  # not a final exam
    graded(exam_a, bob, 1, 2, max_score=3)
    graded(exam_b, bob, 1, 10, status=Attempt.Status.IN_PROGRESS)  # not graded: ignored
    graded(lesson_quiz, carol, 1, 10)

    ids = [alice.pk, bob.pk, carol.pk]
    assert final_exam_scores(ids, [course_a.pk, course_b.pk]) == {alice.pk: Decimal("78.3"), bob.pk: Decimal("66.7")}
    assert final_exam_scores(ids, [course_b.pk]) == {alice.pk: Decimal("90.0")}
    assert final_exam_scores(User.objects.filter(pk=alice.pk).values("pk"), [course_a.pk]) == {alice.pk: Decimal("66.7")}
    assert final_exam_scores(ids, []) == {}
    # Registered in AssessmentsConfig.ready(): learning's reports get it through learning.api.
    assert exam_scores(ids, [course_a.pk, course_b.pk])[alice.pk] == Decimal("78.3")
