"""Concurrent sign-ups on PostgreSQL never exceed a session's capacity, and a scan raced against itself
records and credits attendance once."""

import datetime as dt
import queue

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from classroom import checkin, services
from classroom.models import Attendance, SessionSignup
from classroom.services import ClassroomError
from learning.models import LedgerEntry
from tests.classroom.factories import session
from tests.learning.test_ledger import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MEMBERS = ["trainee", "trainee04", "trainee05", "trainee16", "trainee17", "trainee28", "trainee29"]  # 红旗街道


def test_seven_members_racing_for_two_places_get_exactly_two():
    call_command("load_demo_data", "--skip-index", verbosity=0)
    s = session(starts_at=timezone.now() + dt.timedelta(days=3), signup_open=True, capacity=2)
    users = queue.SimpleQueue()
    for user in User.objects.filter(username__in=MEMBERS):
        users.put(user)

    def sign_up():
        user = users.get_nowait()  # one member per thread
        try:
            return services.session_signup(user=user, session_id=s.pk).user_id
        except ClassroomError as error:
            return error.code

    results = _race(sign_up, count=len(MEMBERS))

    assert sorted(r for r in results if isinstance(r, str)) == ["session_full"] * (len(MEMBERS) - 2)
    assert SessionSignup.objects.filter(session=s).count() == 2


def test_a_scan_racing_itself_is_recorded_and_credited_once():
    call_command("load_demo_data", "--skip-index", verbosity=0)
    trainee = User.objects.get(username="trainee")
    s = session(starts_at=timezone.now() - dt.timedelta(minutes=5))
    window = services.checkin_open(user=User.objects.get(username="trainer"), session_id=s.pk)
    token = checkin.mint_token(session_id=s.pk, window_id=window.pk)

    results = _race(lambda: services.checkin_with_token(user=trainee, token=token), count=4)

    assert sorted(created for _attendance, created in results) == [False, False, False, True]
    assert Attendance.objects.filter(session=s, user=trainee).count() == 1
    assert LedgerEntry.objects.filter(user=trainee, kind="attend").count() == 1
