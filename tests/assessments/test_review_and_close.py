"""Holes 7 and 8 of the outside probe: the key never shows while an attempt with the same questions
remains, whatever the trainer set; closing a quiz early stops open attempts from saving, and a late
submission is graded on what was saved before the close."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Attempt
from cms.models import LessonPage
from tests.assessments.factories import question_bank, quiz_on
from tests.assessments.test_attempts import client_for, put, right_answers, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    """A fixed-paper exam, 2 attempts, "show the answers after each attempt"."""
    _, questions = question_bank(count=6)
    quiz = quiz_on(LessonPage.objects.live().first(), questions, shuffle_questions=False, shuffle_options=False)
    quiz.attempts_allowed, quiz.review = 2, "after_attempt"
    quiz.save()
    return quiz


def _keyless(response_json) -> bool:
    return all(not {"answer", "explanation", "correct", "earned"} & set(q) for q in response_json["questions"])


def test_a_blank_first_attempt_shows_no_key_while_the_second_remains(exam):
    client = client_for()
    first = start(client, exam).json()
    blank = client.post(f"/api/v1/attempts/{first['id']}/submit").json()
    assert blank["score"] == "0.00" and blank["review_available"] is False and _keyless(blank)
    page = client.get(f"/quizzes/attempts/{first['id']}/").content.decode()
    assert "正确答案" not in page and "用完全部 2 次作答机会" in page
    assert _keyless(client.get(f"/api/v1/attempts/{first['id']}").json())

    second = start(client, exam).json()  # the same questions
    put(client, second["id"], right_answers(second))
    last = client.post(f"/api/v1/attempts/{second['id']}/submit").json()
    assert last["review_available"] is True and all("answer" in q for q in last["questions"])
    assert client.get(f"/api/v1/attempts/{first['id']}").json()["review_available"] is True  # nothing left to gain


def test_closing_the_quiz_shows_the_key_to_those_with_attempts_left(exam):
    client = client_for()
    first = start(client, exam).json()
    client.post(f"/api/v1/attempts/{first['id']}/submit")
    exam.closes_at = timezone.now() - dt.timedelta(minutes=1)
    exam.save()
    assert client.get(f"/api/v1/attempts/{first['id']}").json()["review_available"] is True


def test_closing_a_quiz_early_stops_saving_and_grades_what_was_saved_before(exam):
    client = client_for()
    attempt = start(client, exam).json()
    answers = right_answers(attempt)
    half = dict(list(answers.items())[:3])
    assert put(client, attempt["id"], half).status_code == 200
    exam.closes_at = timezone.now()  # the trainer closes it now, while the attempt is open
    exam.save()

    late = put(client, attempt["id"], answers)
    assert late.status_code == 409 and late.json()["code"] == "quiz_closed"
    assert "测验已关闭" in late.json()["message"]
    graded = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert graded["score"] == "6.00"  # the three answers saved before the close, 2 points each
    stored = Attempt.objects.get(pk=attempt["id"])
    assert stored.submitted_at <= exam.closes_at and set(stored.answers) == set(half)
    refused = start(client, exam)
    assert refused.status_code in (403, 409) and refused.json()["code"] != "not_found"
