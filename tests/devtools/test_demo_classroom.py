"""The demo college shows the offline half: two teaching bases and a blended class with a session coming
up and one last week with attendance (credited once) and evaluations, loaded idempotently."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from classroom.models import Attendance, AttendanceChange, EvaluationResponse, TrainingSession
from cms.models import TeachingBasePage
from devtools.demo.classes import CLASS_NAME
from devtools.demo.classroom import PAST_TITLE, UPCOMING_TITLE
from learning.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_bases_and_a_blended_class():
    assert TeachingBasePage.objects.live().count() >= 2
    sessions = TrainingSession.objects.filter(training_class__name=CLASS_NAME)
    upcoming, past = sessions.get(title=UPCOMING_TITLE), sessions.get(title=PAST_TITLE)
    assert upcoming.starts_at > timezone.now() and upcoming.signup_open and upcoming.venue_base is not None
    assert past.ends_at < timezone.now()
    attended = Attendance.objects.filter(session=past, status__in=["present", "late"])
    assert attended.count() == 4 and attended.filter(status="late").count() == 1
    assert AttendanceChange.objects.filter(attendance__session=past).count() == 1  # the hand-made mark
    assert EvaluationResponse.objects.filter(session=past).count() >= 3  # enough to show the averages
    credits = LedgerEntry.objects.filter(kind="attend", object_id__in=attended.values("pk"))
    assert credits.count() == 4 and {entry.credit_hours for entry in credits} == {past.credit_hours}


def test_loading_again_adds_no_session_attendance_or_credit():
    counts = (TrainingSession.objects.count(), Attendance.objects.count(), EvaluationResponse.objects.count(),
              LedgerEntry.objects.count(), TeachingBasePage.objects.count())
    call_command("load_demo_data", "--skip-index", verbosity=0)
    assert (TrainingSession.objects.count(), Attendance.objects.count(), EvaluationResponse.objects.count(),
            LedgerEntry.objects.count(), TeachingBasePage.objects.count()) == counts
