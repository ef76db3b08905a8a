"""The attempt page asks before it spends an attempt on unanswered questions ("还有 N 题未作答"); a full
paper, a confirmed one or the countdown reaching zero submits at once."""

import pytest

from assessments.models import Attempt
from tests.assessments.test_attempts import client_for, right_answers, start

pytestmark = pytest.mark.django_db


def _form(answers: dict) -> dict:
    """The page's form fields for API-style answers."""
    fields = {"save_form": "1"}
    for qid, value in answers.items():
        fields[f"q_{qid}"] = value if isinstance(value, list) else ("true" if value is True else "false"
                                                                   if value is False else value)
    return fields


def test_a_blank_paper_is_not_submitted_until_the_trainee_confirms(lesson_quiz):
    client = client_for()
    attempt = start(client, lesson_quiz).json()
    url = f"/quizzes/attempts/{attempt['id']}/"
    asked = client.post(url, {"save_form": "1"}, follow=True)
    assert Attempt.objects.get(pk=attempt["id"]).status == "in_progress", "no attempt spent on a blank paper"
    page = asked.content.decode()
    assert "还有 8 题未作答" in page and "仍然提交" in page

    two = dict(list(right_answers(attempt).items())[:2])
    client.post(url, _form(two))
    held = Attempt.objects.get(pk=attempt["id"])
    assert held.status == "in_progress" and len([v for v in held.answers.values() if v]) == 2  # answers kept

    client.post(url, {**_form(two), "confirm_unanswered": "1"})
    graded = Attempt.objects.get(pk=attempt["id"])
    assert graded.status == "graded" and graded.score == 4  # two right answers × 2 points


def test_a_full_paper_or_the_end_of_the_countdown_submits_at_once(lesson_quiz):
    client = client_for()
    full = start(client, lesson_quiz).json()
    client.post(f"/quizzes/attempts/{full['id']}/", _form(right_answers(full)))
    assert Attempt.objects.get(pk=full["id"]).status == "graded"

    lesson_quiz.attempts_allowed = 2
    lesson_quiz.save()
    timed_out = start(client, lesson_quiz).json()
    client.post(f"/quizzes/attempts/{timed_out['id']}/", {"save_form": "1", "time_up": "1"})
    assert Attempt.objects.get(pk=timed_out["id"]).status == "graded"
