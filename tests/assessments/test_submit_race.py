"""Two submissions of the same attempt racing on PostgreSQL grade it once."""

import threading

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction

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


def test_a_submission_locks_its_attempt_only_not_the_quiz_and_page_every_trainee_shares():
    """200 trainees submit the same quiz at once: locking the quiz and page rows too (FOR UPDATE over the
    join) would make each submission wait for all the others."""
    call_command("load_demo_data", "--skip-index", verbosity=0)
    _, questions = question_bank(name="锁范围题库", count=2)
    quiz = quiz_on(LessonPage.objects.live().first(), questions)
    one, two = User.objects.get(username="trainee"), User.objects.get(username="trainee01")
    first, second = (services.attempt_start(user=user, quiz=quiz) for user in (one, two))
    holding, release = threading.Event(), threading.Event()

    def hold_first_submission_open():
        try:
            with transaction.atomic():
                services._own_attempt(one, first.pk, with_quiz=True)  # as a submission in progress does
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_first_submission_open)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            graded = services.attempt_submit(user=two, attempt_id=second.pk)
    finally:
        release.set()
        thread.join(10)
    assert graded.status == Attempt.Status.GRADED
