"""Two submissions of the same attempt racing on PostgreSQL grade it once."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from assessments import services
from assessments.models import Attempt
from cms.models import LessonPage
from learning.models import LedgerEntry
from tests.assessments.factories import question_bank, quiz_on
from tests.learning.test_ledger import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_racing_double_submit_grades_one_attempt_once():
    call_command("load_demo_data", "--skip-index", verbosity=0)
    user = User.objects.get(username="trainee")
    _, questions = question_bank(count=4)
    quiz = quiz_on(LessonPage.objects.live().first(), questions, shuffle_options=False, shuffle_questions=False)
    attempt = services.attempt_start(user=user, quiz=quiz)
    answers = {str(q.pk): {"single": "B", "multiple": ["A", "B"], "truefalse": True, "fill": "报到"}[q.kind]
               for q in questions}
    services.answers_save(user=user, attempt_id=attempt.pk, answers=answers)

    results = _race(lambda: services.attempt_submit(user=user, attempt_id=attempt.pk), count=3)

    assert {(r.pk, r.score, r.submitted_at) for r in results} == {(attempt.pk, results[0].score, results[0].submitted_at)}
    assert results[0].passed
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1
    assert LedgerEntry.objects.filter(user=user, kind="quiz", object_id=quiz.pk).count() == 1


def test_racing_starts_open_one_attempt():
    call_command("load_demo_data", "--skip-index", verbosity=0)
    user = User.objects.get(username="trainee01")
    _, questions = question_bank(name="并发题库", count=3)
    quiz = quiz_on(LessonPage.objects.live().first(), questions)
    results = _race(lambda: services.attempt_start(user=user, quiz=quiz).pk, count=3)
    assert len(set(results)) == 1
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1
