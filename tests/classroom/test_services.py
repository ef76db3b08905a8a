"""Sign-up, check-in and corrections: attendance is recorded once and credits the ledger exactly once;
a correction reverses or restores with an entry of its own; bad input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.signing import TimestampSigner

from classroom import checkin, services
from classroom.models import Attendance, AttendanceChange, CheckinWindow, SessionSignup
from classroom.services import ClassroomError
from growth.models import GrowthRecord
from growth.services import growth_refresh
from learning.models import LedgerEntry
from learning.selectors import year_totals
from tests.classroom.factories import NOW, session

pytestmark = pytest.mark.django_db


def _user(name="trainee"):
    return User.objects.get(username=name)


def _window(s, by="trainer"):
    return services.checkin_open(user=_user(by), session_id=s.pk)


def _ledger(user):
    return list(LedgerEntry.objects.filter(user=user, kind__in=["attend", "attend_fix"]).order_by("pk")
                .values_list("kind", "credit_hours", "points"))


# --- sign-up --------------------------------------------------------------------------------------------

def test_a_member_signs_up_once_and_cancels(clock):
    s = session(starts_at=NOW + dt.timedelta(days=2), signup_open=True, capacity=2)
    first = services.session_signup(user=_user(), session_id=s.pk)
    again = services.session_signup(user=_user(), session_id=s.pk)
    assert first.pk == again.pk and SessionSignup.objects.filter(session=s).count() == 1
    services.session_signup_cancel(user=_user(), session_id=s.pk)
    assert not SessionSignup.objects.filter(session=s).exists()
    with pytest.raises(ClassroomError) as error:
        services.session_signup_cancel(user=_user(), session_id=s.pk)
    assert error.value.code == "not_signed_up"


def test_capacity_refuses_the_one_too_many_with_a_clear_message(clock):
    s = session(starts_at=NOW + dt.timedelta(days=2), signup_open=True, capacity=1)
    services.session_signup(user=_user("trainee"), session_id=s.pk)
    with pytest.raises(ClassroomError) as error:
        services.session_signup(user=_user("trainee04"), session_id=s.pk)
    assert error.value.code == "session_full" and "名额已满" in error.value.message
    assert SessionSignup.objects.filter(session=s).count() == 1


@pytest.mark.parametrize("case", ["closed", "started", "not_member"])
def test_sign_up_is_refused_when_closed_started_or_not_a_member(clock, case):
    starts = NOW - dt.timedelta(minutes=5) if case == "started" else NOW + dt.timedelta(days=1)
    s = session(starts_at=starts, signup_open=case != "closed")
    user = _user("trainee01" if case == "not_member" else "trainee")  # trainee01 lives in 南关区
    with pytest.raises(ClassroomError) as error:
        services.session_signup(user=user, session_id=s.pk)
    assert error.value.code == {"closed": "signup_closed", "started": "session_started", "not_member": "not_found"}[case]
    assert not SessionSignup.objects.filter(session=s).exists()


# --- check-in -------------------------------------------------------------------------------------------

def test_a_scan_marks_present_and_credits_once_however_often_it_is_scanned(clock):
    s = session(hours="1.5")
    window = _window(s)
    token = checkin.mint_token(session_id=s.pk, window_id=window.pk)
    attendance, created = services.checkin_with_token(user=_user(), token=token)
    clock.shift(3)
    again, created_again = services.checkin_with_token(user=_user(), token=token)
    assert created and not created_again and again.pk == attendance.pk
    assert (attendance.status, attendance.method, attendance.checked_in_at) == ("present", "qr", NOW)
    assert _ledger(_user()) == [("attend", Decimal("1.50"), 2)]
    assert Attendance.objects.filter(session=s).count() == 1
    assert year_totals(_user(), NOW.year)["credit_hours"] == Decimal("1.5")


def test_after_the_threshold_a_scan_is_late_and_still_credited(clock):
    s = session(starts_at=NOW - dt.timedelta(minutes=11), late_after_minutes=10)
    window = _window(s)
    attendance, _ = services.checkin_with_token(user=_user(), token=checkin.mint_token(session_id=s.pk,
                                                                                      window_id=window.pk))
    assert attendance.status == "late"
    assert _ledger(_user()) == [("attend", Decimal("2.00"), 2)]


def test_a_forwarded_token_older_than_its_life_is_refused_and_records_nothing(clock):
    s = session()
    window = _window(s)
    token = checkin.mint_token(session_id=s.pk, window_id=window.pk)
    clock.shift(checkin.TOKEN_SECONDS + 31)  # the photo reached a colleague at home a minute later
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_token(user=_user(), token=token)
    assert error.value.code == "code_expired" and "已过期" in error.value.message
    assert not Attendance.objects.filter(session=s).exists() and _ledger(_user()) == []


def test_a_forged_or_foreign_token_is_refused():
    for token in ("nonsense", TimestampSigner(salt="other").sign_object({"s": 1, "w": 1}),
                  TimestampSigner(salt=checkin.SALT).sign_object({"x": 1})):
        with pytest.raises(ClassroomError) as error:
            services.checkin_with_token(user=_user(), token=token)
        assert error.value.code == "invalid_code"


def test_closing_check_in_ends_every_token_of_the_window_at_once(clock):
    s = session()
    window = _window(s)
    token = checkin.mint_token(session_id=s.pk, window_id=window.pk)
    clock.shift(2)
    services.checkin_close(user=_user("trainer"), session_id=s.pk)
    clock.shift(2)
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_token(user=_user(), token=token)
    assert error.value.code == "checkin_closed"
    reopened = _window(s)
    assert reopened.pk != window.pk and CheckinWindow.objects.filter(session=s, closed_at__isnull=True).count() == 1


def test_only_members_of_the_class_check_in(clock):
    s = session()
    token = checkin.mint_token(session_id=s.pk, window_id=_window(s).pk)
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_token(user=_user("trainee01"), token=token)
    assert error.value.code == "not_member" and error.value.status == 403
    assert not Attendance.objects.filter(session=s).exists()


def test_the_numeric_code_checks_in_and_an_old_one_is_called_expired(clock):
    s = session()
    window = _window(s)
    code = checkin.current_code(window.pk, NOW)
    clock.shift(checkin.CODE_STEP_SECONDS * 3)  # three steps later: no longer accepted
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_code(user=_user(), code=code)
    assert error.value.code == "code_expired"
    fresh = checkin.current_code(window.pk, NOW + dt.timedelta(seconds=checkin.CODE_STEP_SECONDS * 3))
    attendance, created = services.checkin_with_code(user=_user(), code=" " + fresh.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")))  # typed with a full-width keyboard
    assert created and attendance.method == "code"
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_code(user=_user("trainee04"), code="12345")
    assert error.value.code == "invalid_code"


def test_a_code_works_only_for_the_trainees_own_classes(clock):
    s = session()
    window = _window(s)
    with pytest.raises(ClassroomError) as error:
        services.checkin_with_code(user=_user("trainee01"), code=checkin.current_code(window.pk, NOW))
    assert error.value.code == "invalid_code"


def test_check_in_opens_only_around_the_session_and_only_for_those_who_run_it(clock):
    early = session(starts_at=NOW + dt.timedelta(hours=3))
    with pytest.raises(ClassroomError) as error:
        services.checkin_open(user=_user("trainer"), session_id=early.pk)
    assert error.value.code == "too_early"
    s = session()
    for name in ("trainee", "reviewer"):
        with pytest.raises(ClassroomError) as error:
            services.checkin_open(user=_user(name), session_id=s.pk)
        assert error.value.status == 404
    assert services.checkin_open(user=_user("street_admin"), session_id=s.pk)


# --- marks and corrections -------------------------------------------------------------------------------

def test_a_correction_needs_a_reason_and_changes_nothing_without_one(clock):
    s = session()
    with pytest.raises(ClassroomError) as error:
        services.attendance_mark(by=_user("trainer"), session_id=s.pk, user_id=_user().pk, status="present",
                                 reason="   ")
    assert error.value.code == "reason_required"
    assert not Attendance.objects.filter(session=s).exists()
    assert not AttendanceChange.objects.filter(attendance__session=s).exists()


def test_removing_attendance_reverses_the_credit_with_an_entry_and_restoring_credits_again(clock):
    s = session(hours="2")
    trainee, trainer = _user(), _user("trainer")
    services.checkin_with_token(user=trainee, token=checkin.mint_token(session_id=s.pk, window_id=_window(s).pk))
    clock.shift(3600)
    services.attendance_mark(by=trainer, session_id=s.pk, user_id=trainee.pk, status="absent",
                             reason="误扫他人转发的二维码，实际未到场")
    assert _ledger(trainee) == [("attend", Decimal("2.00"), 2), ("attend_fix", Decimal("-2.00"), -2)]
    assert year_totals(trainee, NOW.year)["credit_hours"] == Decimal("0")
    reversal = LedgerEntry.objects.get(user=trainee, kind="attend_fix")
    assert reversal.occurred_at == NOW, "dated at the attendance: no new day of study"
    assert "误扫" in reversal.title
    services.attendance_mark(by=trainer, session_id=s.pk, user_id=trainee.pk, status="late", reason="核实后确认迟到到课")
    assert _ledger(trainee)[-1] == ("attend_fix", Decimal("2.00"), 2)
    assert year_totals(trainee, NOW.year)["credit_hours"] == Decimal("2")
    changes = list(AttendanceChange.objects.filter(attendance__session=s).order_by("pk")
                   .values_list("from_status", "to_status", "credit_delta", "changed_by__username"))
    assert changes == [("present", "absent", Decimal("-2.00"), "trainer"), ("absent", "late", Decimal("2.00"), "trainer")]
    # the growth record, recomputed from the ledger, follows the reversal
    growth_refresh(user_id=trainee.pk)
    assert GrowthRecord.objects.get(user=trainee, year=NOW.year).credit_hours == Decimal("2")


def test_a_hand_mark_for_someone_without_a_phone_credits_once(clock):
    s = session(hours="3")
    services.attendance_mark(by=_user("trainer"), session_id=s.pk, user_id=_user("trainee04").pk, status="present",
                             reason="未带手机，现场核实到课")
    with pytest.raises(ClassroomError) as error:
        services.attendance_mark(by=_user("trainer"), session_id=s.pk, user_id=_user("trainee04").pk,
                                 status="present", reason="再次登记")
    assert error.value.code == "unchanged"
    assert _ledger(_user("trainee04")) == [("attend", Decimal("3.00"), 2)]
    attendance = Attendance.objects.get(session=s, user__username="trainee04")
    assert (attendance.method, attendance.checked_in_at, attendance.credited_hours) == ("manual", None, Decimal("3.00"))


def test_a_hand_mark_is_refused_for_someone_outside_the_class(clock):
    s = session()
    with pytest.raises(ClassroomError) as error:
        services.attendance_mark(by=_user("trainer"), session_id=s.pk, user_id=_user("trainee01").pk,
                                 status="present", reason="现场核实")
    assert error.value.code == "not_member"
