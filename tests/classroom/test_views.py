"""The pages: a scan by someone not signed in survives the login, the trainer's screen rotates its code,
corrections go through the roster, the ICS feed answers only a live token, and 我的学习 lists the
trainee's sessions at a query count that does not grow."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from classroom import checkin, services
from classroom.models import Attendance, AttendanceChange, CalendarFeed
from learning.models import LedgerEntry
from tests.classroom.factories import NOW, session
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _open(s):
    return services.checkin_open(user=User.objects.get(username="trainer"), session_id=s.pk)


def _token_url(s, window):
    return f"/classroom/checkin/{checkin.mint_token(session_id=s.pk, window_id=window.pk)}/"


def test_a_scan_before_signing_in_is_kept_through_the_login_and_dated_at_the_scan(clock):
    s = session(starts_at=NOW - dt.timedelta(minutes=5), late_after_minutes=10)
    url = _token_url(s, _open(s))
    visitor = Client()
    response = visitor.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    clock.shift(90)  # typing the password took longer than the token lives
    visitor.post("/accounts/login/", {"login": "trainee", "password": "demo12345"})
    response = visitor.get(url)
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    attendance = Attendance.objects.get(session=s, user__username="trainee")
    assert attendance.checked_in_at == NOW and attendance.status == "present"  # on time when scanned


def test_an_expired_code_is_refused_with_a_clear_message_signed_in_or_not(clock):
    s = session()
    url = _token_url(s, _open(s))
    clock.shift(61)
    for client in (Client(), login("trainee")):
        response = client.get(url)
        assert response.status_code == 400
        html = response.content.decode()
        assert "这个签到二维码已过期" in html and "签到没有记录" in html
    assert not Attendance.objects.filter(session=s).exists()


def test_the_trainers_screen_shows_a_qr_code_and_a_code_that_rotate(clock):
    s = session()
    trainer = login("trainer")
    response = trainer.post(f"/classroom/teach/sessions/{s.pk}/checkin/open/")
    assert response.status_code == 302 and response["Location"].endswith("/checkin/")
    html = trainer.get(f"/classroom/teach/sessions/{s.pk}/checkin/").content.decode()
    code = re.search(r"data-code[^>]*>(\d{6})<", html).group(1)
    assert 'src="data:image/svg+xml' in html and 'src="/static/classroom/checkin.js"' in html
    assert "<script>" not in html and " style=" not in html  # the CSP: no inline script or style
    first = trainer.get(f"/classroom/teach/sessions/{s.pk}/checkin/code.json").json()
    assert first["open"] and first["code"] == code and first["qr"].startswith("data:image/svg+xml")
    clock.shift(checkin.CODE_STEP_SECONDS)
    second = trainer.get(f"/classroom/teach/sessions/{s.pk}/checkin/code.json").json()
    assert second["code"] != first["code"] and second["url"] != first["url"]
    trainer.post(f"/classroom/teach/sessions/{s.pk}/checkin/close/")
    assert trainer.get(f"/classroom/teach/sessions/{s.pk}/checkin/code.json").json() == {"open": False}


def test_a_trainee_types_the_code_and_is_present(clock):
    s = session()
    window = _open(s)
    response = login("trainee").post("/classroom/checkin/", {"code": checkin.current_code(window.pk, NOW)})
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert Attendance.objects.get(session=s, user__username="trainee").method == "code"


def test_guessing_codes_is_rate_limited(clock):
    s = session()
    _open(s)
    client = login("trainee04")
    statuses = [client.post("/classroom/checkin/", {"code": f"{n:06d}"}).status_code for n in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]


def test_the_roster_marks_by_hand_with_a_reason_and_shows_the_audit(clock):
    s = session()
    trainee = User.objects.get(username="trainee")
    trainer = login("trainer")
    url = f"/classroom/teach/sessions/{s.pk}/mark/"
    response = trainer.post(url, {"user": trainee.pk, "status": "present", "reason": ""}, follow=True)
    assert "请填写登记或更正的原因" in response.content.decode()
    assert not Attendance.objects.filter(session=s).exists()
    trainer.post(url, {"user": trainee.pk, "status": "present", "reason": "未带手机，现场核实到课"})
    html = trainer.get(f"/classroom/teach/sessions/{s.pk}/").content.decode()
    assert "张小梅" in html and "未带手机，现场核实到课" in html and "李红" in html
    assert AttendanceChange.objects.get(attendance__session=s).changed_by.username == "trainer"
    assert LedgerEntry.objects.get(user=trainee, kind="attend").credit_hours == Decimal("2.00")


def test_another_street_administrator_cannot_run_the_session(clock):
    s = session()
    sibling = User.objects.create_user("sibling_admin_cr", password="x")
    from orgs.api import OrgAdminRole
    from tests.helpers import org

    OrgAdminRole.objects.create(user=sibling, organization=org("22010402"))
    client = Client()
    client.force_login(sibling)
    for url in (f"/classroom/teach/sessions/{s.pk}/", f"/classroom/teach/sessions/{s.pk}/checkin/code.json"):
        assert client.get(url).status_code == 404
    assert client.post(f"/classroom/teach/sessions/{s.pk}/checkin/open/").status_code == 404
    assert s.pk not in [row.pk for row in client.get("/classroom/teach/").context["sessions"]]
    assert s.pk in [row.pk for row in login("street_admin").get("/classroom/teach/").context["sessions"]]


# --- 我的学习 and 我的面授课程 ----------------------------------------------------------------------------------

def test_me_lists_upcoming_sessions_and_signs_up(clock):
    s = session(starts_at=NOW + dt.timedelta(days=2), signup_open=True, capacity=10, title="网格议事实务研讨")
    client = login("trainee")
    html = client.get("/me/").content.decode()
    assert "近期面授课程" in html and "网格议事实务研讨" in html and "余 10/10 个名额" in html
    response = client.post(f"/classroom/sessions/{s.pk}/signup/", {"next": "/me/"})
    assert response["Location"] == "/me/"
    assert "已报名" in client.get("/me/").content.decode()
    assert "网格议事实务研讨" not in login("trainee01").get("/me/").content.decode()  # not in the class


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_trainees_session_lists_cost_the_same_queries_at_two_sizes(clock):
    client = login("trainee")
    session(starts_at=NOW + dt.timedelta(days=1), signup_open=True, capacity=5)
    small = {url: _queries(client, url) for url in ("/me/", "/classroom/")}
    for n in range(12):
        s = session(starts_at=NOW + dt.timedelta(days=2, hours=n), signup_open=True, capacity=5, title=f"面授 {n}")
        services.session_signup(user=User.objects.get(username="trainee04"), session_id=s.pk)
        if n % 2:
            services.session_signup(user=User.objects.get(username="trainee"), session_id=s.pk)
    large = {url: _queries(client, url) for url in ("/me/", "/classroom/")}
    assert large == small


# --- the calendar feed ------------------------------------------------------------------------------------

def test_the_calendar_feed_lists_the_trainees_sessions_until_revoked(clock):
    s = session(starts_at=NOW + dt.timedelta(days=3), title="社区应急演练")
    client = login("trainee")
    html = client.post("/classroom/calendar/").content.decode()
    link = re.search(r"data-calendar-link>([^<]+)<", html).group(1)
    path = link.split("testserver", 1)[1]
    assert CalendarFeed.objects.get(user__username="trainee").token_hash not in link  # only a hash is kept
    response = Client().get(path)  # no cookie: the token is the credential
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert any(str(e["summary"]).endswith("社区应急演练") and e.decoded("dtstart") == s.starts_at for e in events)
    client.post("/classroom/calendar/")  # a new link ends the old one
    assert Client().get(path).status_code == 404
    new_path = re.search(r"data-calendar-link>[^<]*testserver([^<]+)<", client.post("/classroom/calendar/")
                         .content.decode()).group(1)
    assert Client().get(new_path).status_code == 200
    client.post("/classroom/calendar/revoke/")
    assert Client().get(new_path).status_code == 404
    assert Client().get("/classroom/calendar/not-a-token.ics").status_code == 404


def test_the_calendar_shows_nothing_of_other_classes(clock):
    session(starts_at=NOW + dt.timedelta(days=3), title="红旗街道专场")
    token = services.calendar_feed_create(user=User.objects.get(username="trainee01"))
    body = Client().get(f"/classroom/calendar/{token}.ics").content.decode()
    assert "红旗街道专场" not in body and "BEGIN:VCALENDAR" in body
