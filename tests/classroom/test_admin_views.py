"""The admin side: sessions are edited only inside the administrator's subtree, and every attendance list
and export shows a trainer the whole class but an administrator only the members in their scope."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from classroom import checkin, services
from classroom.models import TrainingSession
from orgs.api import OrgAdminRole, TraineeProfile
from tests.classroom.factories import NOW, demo_class, session
from tests.helpers import login, org

pytestmark = pytest.mark.django_db


def _sibling() -> Client:
    user = User.objects.create_user("sibling_ad")
    user.groups.add(Group.objects.get(name="组织管理员"))
    OrgAdminRole.objects.create(user=user, organization=org("22010402"))  # 南湖街道, beside 红旗街道
    client = Client()
    client.force_login(user)
    return client


def _attended(s):
    """trainee scans in; trainee04 is marked by hand then corrected to absent; trainee01 (南关区, named in
    the class, outside 红旗街道) scans in late."""
    window = services.checkin_open(user=User.objects.get(username="trainer"), session_id=s.pk)
    token = checkin.mint_token(session_id=s.pk, window_id=window.pk)
    services.checkin_with_token(user=User.objects.get(username="trainee"), token=token)
    trainer = User.objects.get(username="trainer")
    services.attendance_mark(by=trainer, session_id=s.pk, user_id=User.objects.get(username="trainee04").pk,
                             status="present", reason="未带手机")
    services.attendance_mark(by=trainer, session_id=s.pk, user_id=User.objects.get(username="trainee04").pk,
                             status="absent", reason="核实后未到课")


@pytest.fixture
def s(clock):
    training_class = demo_class()
    training_class.member_users.add(User.objects.get(username="trainee01"))
    s = session(starts_at=NOW - dt.timedelta(minutes=5), late_after_minutes=10, title="=cmd|' /C calc'!A0")
    _attended(s)
    services.checkin_record(user=User.objects.get(username="trainee01"), session_id=s.pk,
                            window_id=s.checkin_windows.get().pk, method="code", at=NOW + dt.timedelta(minutes=6))
    return s


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {row.real_name: row for row in response.context["object_list"]}


def test_the_session_list_shows_the_whole_class_to_its_trainer_and_the_subtree_to_an_administrator(s):
    url = f"/admin/classroom/attendance/?session={s.pk}"
    name = {u: TraineeProfile.objects.get(user__username=u).real_name for u in ("trainee", "trainee01", "trainee04")}
    by_trainer = _rows(login("trainer"), url)
    assert by_trainer[name["trainee"]].status == "present" and by_trainer[name["trainee01"]].status == "late"
    assert by_trainer[name["trainee04"]].status == "absent" and by_trainer[name["trainee04"]].credited_hours == 0
    by_street = _rows(login("street_admin"), url)
    assert name["trainee"] in by_street and name["trainee01"] not in by_street  # 南关区 lies outside 红旗街道
    assert set(by_street) < set(by_trainer)
    response = _sibling().get(url)
    assert response.status_code == 200 and list(response.context["object_list"]) == []  # not theirs: no rows
    assert login("reviewer").get(url).status_code in (302, 403)


def test_the_session_export_is_scoped_and_inert(s):
    TraineeProfile.objects.filter(user__username="trainee05").update(real_name="=HYPERLINK(\"http://x\",\"点我\")")
    body = login("street_admin").get(f"/admin/classroom/attendance/?session={s.pk}&export=csv")
    text = b"".join(body.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["姓名", "所属组织", "报名", "出勤情况"]
    assert TraineeProfile.objects.get(user__username="trainee01").real_name not in text
    assert any(r[3] == "出勤" and r[4] == "扫码签到" and float(r[6]) == 2 for r in rows[1:])
    assert any(r[0].startswith("'=HYPERLINK") for r in rows[1:]), "a formula in a name is exported as text"
    xlsx = login("trainer").get(f"/admin/classroom/attendance/?session={s.pk}&export=xlsx")
    assert xlsx.status_code == 200


def test_the_class_summary_counts_the_net_credit_after_corrections(s):
    url = f"/admin/classroom/attendance-by-class/?training_class={demo_class().pk}"
    rows = _rows(login("trainer"), url)
    trainee = rows[TraineeProfile.objects.get(user__username="trainee").real_name]
    corrected = rows[TraineeProfile.objects.get(user__username="trainee04").real_name]
    late = rows[TraineeProfile.objects.get(user__username="trainee01").real_name]
    assert (trainee.attended, trainee.hours) == (1, 2)
    assert (corrected.attended, corrected.absent, corrected.hours) == (0, 1, 0)
    assert (late.attended, late.late) == (1, 1)
    street = _rows(login("street_admin"), url)
    assert TraineeProfile.objects.get(user__username="trainee01").real_name not in street


def test_administrators_edit_only_the_sessions_of_their_subtree(s):
    street, sibling = login("street_admin"), _sibling()
    assert s.pk in [obj.pk for obj in street.get("/admin/snippets/classroom/trainingsession/").context["object_list"]]
    assert s.pk not in [obj.pk for obj in sibling.get("/admin/snippets/classroom/trainingsession/").context[
        "object_list"]]
    assert street.get(f"/admin/snippets/classroom/trainingsession/edit/{s.pk}/").status_code == 200
    assert sibling.get(f"/admin/snippets/classroom/trainingsession/edit/{s.pk}/").status_code == 404


def _form(client, **overrides):
    data = {"training_class": demo_class().pk, "title": "新面授", "kind": "lecture",
            "starts_at": "2026-11-20 09:00", "ends_at": "2026-11-20 11:00", "venue_base": "", "address": "会议室",
            "trainer": User.objects.get(username="trainer").pk, "credit_hours": "2", "late_after_minutes": "10",
            "capacity": "", **overrides}
    return client.post("/admin/snippets/classroom/trainingsession/add/", data)


def test_the_session_form_refuses_bad_input_with_clear_messages(s):
    street = login("street_admin")
    for overrides, message in [({"ends_at": "2026-11-20 08:00"}, "结束时间必须晚于开始时间"),
                               ({"address": ""}, "请选择现场教学实践基地，或填写上课地址"),
                               ({"credit_hours": "1.3"}, "学时以 0.25 为单位")]:
        response = _form(street, **overrides)
        assert response.status_code == 200 and message in response.content.decode(), overrides
    before = TrainingSession.objects.count()
    assert _form(street).status_code == 302 and TrainingSession.objects.count() == before + 1
    response = _form(_sibling(), title="越权")
    assert not TrainingSession.objects.filter(title="越权").exists()
    assert response.status_code == 200


def test_a_session_with_attendance_cannot_be_deleted_and_one_without_can(s):
    admin = login("admin")
    response = admin.post(f"/admin/snippets/classroom/trainingsession/delete/{s.pk}/", follow=True)
    assert response.status_code == 200 and "已有签到记录" in response.content.decode()
    assert TrainingSession.objects.filter(pk=s.pk).exists()
    empty = session(starts_at=NOW + dt.timedelta(days=3), title="取消的面授")
    assert admin.post(f"/admin/snippets/classroom/trainingsession/delete/{empty.pk}/").status_code == 302
    assert not TrainingSession.objects.filter(pk=empty.pk).exists()


def test_an_administrator_running_the_session_neither_sees_nor_marks_a_member_outside_their_subtree(s):
    """The roster page's list, its counts and its corrections, and a hand mark, all follow one scope."""
    trainer, outsider = User.objects.get(username="trainer"), User.objects.get(username="trainee01")
    services.attendance_mark(by=trainer, session_id=s.pk, user_id=outsider.pk, status="absent", reason="核实后未到课")
    name = TraineeProfile.objects.get(user=outsider).real_name
    url = f"/classroom/teach/sessions/{s.pk}/"
    by_trainer = login("trainer").get(url)
    assert name in by_trainer.content.decode() and by_trainer.context["counts"]["absent"] == 2
    by_street = login("street_admin").get(url)
    assert by_street.status_code == 200 and name not in by_street.content.decode()  # list and corrections
    assert by_street.context["counts"]["absent"] == 1  # trainee04 only
    with pytest.raises(services.ClassroomError) as error:
        services.attendance_mark(by=User.objects.get(username="street_admin"), session_id=s.pk, user_id=outsider.pk,
                                 status="present", reason="现场核实")
    assert error.value.code == "not_member"
