"""评教: once per trainee, only after attending (or completing the course); nothing shown under three
responses; never who wrote what — in the model, the trainer's and administrators' views and the exports."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from classroom import services
from classroom.models import Attendance, EvaluationReceipt, EvaluationResponse
from classroom.services import ClassroomError
from cms.models import CoursePage, Trainer
from learning.models import Enrollment
from orgs.api import OrgAdminRole, TraineeProfile
from tests.classroom.factories import NOW, session
from tests.helpers import login, org

pytestmark = pytest.mark.django_db
MEMBERS = ["trainee", "trainee04", "trainee05", "trainee16"]
ANSWER = {"content_score": "5", "trainer_score": "4", "organisation_score": "3"}


def _attended_session(names=MEMBERS, **fields):
    s = session(starts_at=NOW - dt.timedelta(hours=5), **fields)
    for name in names:
        Attendance.objects.create(session=s, user=User.objects.get(username=name), status="present", method="manual")
    return s


def _evaluate(s, names, comment=""):
    for n, name in enumerate(names):
        services.session_evaluate(user=User.objects.get(username=name), session_id=s.pk,
                                  values={**ANSWER, "comment": comment or f"意见{n}：多讲案例"})


def test_a_trainee_evaluates_once_after_attending_and_the_answer_names_nobody(clock):
    s = _attended_session()
    trainee = User.objects.get(username="trainee")
    with pytest.raises(ClassroomError) as error:
        services.session_evaluate(user=User.objects.get(username="trainee17"), session_id=s.pk, values=ANSWER)
    assert error.value.code == "not_attended"
    services.session_evaluate(user=trainee, session_id=s.pk, values={**ANSWER, "comment": "很实用"})
    with pytest.raises(ClassroomError) as error:
        services.session_evaluate(user=trainee, session_id=s.pk, values=ANSWER)
    assert error.value.code == "already_evaluated"
    assert EvaluationResponse.objects.filter(session=s).count() == 1
    assert EvaluationReceipt.objects.filter(session=s, user=trainee).count() == 1
    # The answer holds no user and no time; the receipt holds no answer.
    answer_fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert not answer_fields & {"user", "created_at", "created", "submitted_at", "updated_at"}
    receipt_fields = {f.name for f in EvaluationReceipt._meta.get_fields()}
    assert not receipt_fields & {"content_score", "trainer_score", "organisation_score", "comment", "created_at"}


@pytest.mark.parametrize("bad", [{"content_score": "6"}, {"trainer_score": "0"}, {"organisation_score": "好"},
                                 {"comment": "长" * 501}])
def test_bad_scores_or_a_long_comment_are_refused_and_record_nothing(clock, bad):
    s = _attended_session()
    with pytest.raises(ClassroomError):
        services.session_evaluate(user=User.objects.get(username="trainee"), session_id=s.pk, values={**ANSWER, **bad})
    assert not EvaluationResponse.objects.filter(session=s).exists()
    assert not EvaluationReceipt.objects.filter(session=s).exists()


def test_a_session_is_evaluated_only_after_it_ended(clock):
    s = session(starts_at=NOW - dt.timedelta(minutes=30))
    Attendance.objects.create(session=s, user=User.objects.get(username="trainee"), status="present", method="qr")
    with pytest.raises(ClassroomError) as error:
        services.session_evaluate(user=User.objects.get(username="trainee"), session_id=s.pk, values=ANSWER)
    assert error.value.code == "not_ended"


def test_the_evaluation_page_takes_the_form_once(clock):
    s = _attended_session()
    client = login("trainee")
    assert "评教" in client.get("/classroom/").content.decode()
    response = client.post(f"/classroom/sessions/{s.pk}/evaluate/", {**ANSWER, "comment": "讲得透"})
    assert response.status_code == 302
    assert "你已经评价过了" in client.get(f"/classroom/sessions/{s.pk}/evaluate/").content.decode()
    assert login("trainee17").get(f"/classroom/sessions/{s.pk}/evaluate/").status_code == 404


def test_a_completed_course_is_evaluated_once_from_its_page(clock):
    course = CoursePage.objects.live().first()
    client = login("trainee05")
    assert "评价这门课程" not in client.get(course.url).content.decode()
    assert client.get(f"/classroom/courses/{course.pk}/evaluate/").status_code == 404
    Enrollment.objects.update_or_create(user=User.objects.get(username="trainee05"), course=course,
                                        defaults={"source": "self", "completed_at": NOW})
    assert "评价这门课程" in client.get(course.url).content.decode()
    assert client.post(f"/classroom/courses/{course.pk}/evaluate/", ANSWER).status_code == 302
    assert "你已评价过这门课程" in client.get(course.url).content.decode()
    assert EvaluationResponse.objects.filter(course=course).count() == 1


# --- what trainers and administrators see ---------------------------------------------------------------

def _report(client, by="session"):
    return client.get(f"/admin/classroom/evaluations/?by={by}")


def test_nothing_is_shown_under_three_responses_then_averages_and_comments(clock):
    s = _attended_session()
    _evaluate(s, MEMBERS[:2])
    trainer = login("trainer")
    rows = _report(trainer).context["rows"]
    row = next(r for r in rows if r["id"] == s.pk)
    assert row["responses"] == 2 and not row["shown"] and row["content_avg"] is None
    detail = trainer.get(f"/admin/classroom/evaluations/session/{s.pk}/")
    assert detail.context["comments"] == [] and "意见0" not in detail.content.decode()
    assert "不足 3 份" in detail.content.decode()
    # …and the hidden session adds nothing to the trainer's own total either
    assert all(r["responses"] == 0 or r["shown"] for r in _report(trainer, "trainer").context["rows"])
    _evaluate(s, MEMBERS[2:3])
    row = next(r for r in _report(trainer).context["rows"] if r["id"] == s.pk)
    assert row["responses"] == 3 and row["shown"] and (row["content_avg"], row["trainer_avg"]) == (5, 4)
    detail = trainer.get(f"/admin/classroom/evaluations/session/{s.pk}/")
    assert sorted(detail.context["comments"]) == ["意见0：多讲案例", "意见0：多讲案例", "意见1：多讲案例"]


def _names_and_usernames(names):
    profiles = TraineeProfile.objects.filter(user__username__in=names)
    # names, and the usernames distinctive enough to search for ("trainee" is in every admin menu's URL)
    return [p.real_name for p in profiles] + [name for name in names if name != "trainee"]


def test_no_view_or_export_says_who_wrote_what(clock):
    s = _attended_session()
    _evaluate(s, MEMBERS, comment="希望多安排现场教学")
    authors = _names_and_usernames(MEMBERS)
    for username in ("trainer", "street_admin", "district_admin", "admin"):
        client = login(username)
        pages = [_report(client, by).content.decode() for by in ("session", "course", "trainer")]
        pages.append(client.get(f"/admin/classroom/evaluations/session/{s.pk}/").content.decode())
        for by in ("session", "trainer"):
            pages.append(client.get(f"/admin/classroom/evaluations/?by={by}&export=csv").content.decode("utf-8-sig"))
            workbook = load_workbook(io.BytesIO(client.get(f"/admin/classroom/evaluations/?by={by}&export=xlsx")
                                                .content), read_only=True)
            pages.append(" ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c))
        text = " ".join(pages)
        assert "希望多安排现场教学" in text or username != "trainer"
        leaked = [name for name in authors if name in text]
        assert leaked == [], f"{username} sees {leaked}"


def test_the_export_is_inert_and_carries_the_averages(clock):
    s = _attended_session(title="=HYPERLINK(\"http://x\")")
    _evaluate(s, MEMBERS[:3])
    body = login("trainer").get("/admin/classroom/evaluations/?by=session&export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0].startswith("'=") and row[3:7] == ["3", "5.0", "4.0", "3.0"]


def test_each_sees_only_their_own_or_their_scope(clock):
    ours = _attended_session(title="红旗街道的面授")
    _evaluate(ours, MEMBERS[:3])
    # a session of another trainer, in a class of 南湖街道 (the sibling street)
    from learning.models import TrainingClass

    other_class = TrainingClass.objects.create(name="南湖街道面授班", organization=org("22010402"),
                                               starts_on=NOW.date(), ends_on=NOW.date() + dt.timedelta(days=30))
    other_class.member_organizations.set([org("22010402")])
    other_trainer = User.objects.create_user("trainer_nanhu", first_name="周老师")
    other_trainer.groups.add(Group.objects.get(name="培训导师"))
    other = session(starts_at=NOW - dt.timedelta(hours=5), training_class=other_class, trainer="trainer_nanhu",
                    title="南湖街道的面授")
    nanhu = ["trainee06", "trainee07", "trainee18"]  # 南湖社区 / 湖西社区
    for name in nanhu:
        Attendance.objects.create(session=other, user=User.objects.get(username=name), status="present", method="qr")
    _evaluate(other, nanhu)
    sibling = User.objects.create_user("sibling_cr")
    sibling.groups.add(Group.objects.get(name="组织管理员"))
    OrgAdminRole.objects.create(user=sibling, organization=org("22010402"))

    def titles(client):
        return {row["title"] for row in _report(client).context["rows"]}

    assert "红旗街道的面授" in titles(login("trainer")) and "南湖街道的面授" not in titles(login("trainer"))
    assert titles(login("street_admin")) >= {"红旗街道的面授"} and "南湖街道的面授" not in titles(login("street_admin"))
    assert {"红旗街道的面授", "南湖街道的面授"} <= titles(login("district_admin"))
    client = login("trainer")
    assert client.get(f"/admin/classroom/evaluations/session/{other.pk}/").status_code == 404
    from django.test import Client

    sibling_client = Client()
    sibling_client.force_login(sibling)
    assert titles(sibling_client) >= {"南湖街道的面授"} and "红旗街道的面授" not in titles(sibling_client)
    assert sibling_client.get(f"/admin/classroom/evaluations/session/{ours.pk}/").status_code == 404
    other_client = Client()
    other_client.force_login(other_trainer)
    assert titles(other_client) == {"南湖街道的面授"}
    assert login("reviewer").get("/admin/classroom/evaluations/").status_code == 403
    # a course: its trainers see it
    course = CoursePage.objects.live().first()
    for name in ["trainee", "trainee04", "trainee05"]:
        Enrollment.objects.update_or_create(user=User.objects.get(username=name), course=course,
                                            defaults={"source": "self", "completed_at": NOW})
        services.course_evaluate(user=User.objects.get(username=name), course_id=course.pk, values=ANSWER)
    teaches = Trainer.objects.filter(courses=course, user__isnull=False).values_list("user__username", flat=True)
    courses_seen = {r["title"] for r in _report(other_client, "course").context["rows"]}
    assert course.title not in courses_seen
    for username in teaches:
        assert course.title in {r["title"] for r in _report(login(username), "course").context["rows"]}
