"""Taking a quiz through the API: fair, reproducible, leak-free, and graded exactly once."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt
from assessments.paper import draw_paper
from cms.models import DailyLessonPage, LessonPage
from learning.models import LedgerEntry
from tests.assessments.factories import question_bank, quiz_on

pytestmark = pytest.mark.django_db


def client_for(username="trainee"):
    client = Client()
    client.login(username=username, password="demo12345")
    return client


def start(client, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/attempts")


def put(client, attempt_id, answers):
    return client.put(f"/api/v1/attempts/{attempt_id}/answers", json.dumps({"answers": answers}),
                      content_type="application/json")


def right_answers(attempt_json):
    """Answer every question correctly, in display letters, using the stored paper."""
    attempt = Attempt.objects.get(pk=attempt_json["id"])
    from assessments.grading import display_answer
    from assessments.paper import paper_questions

    answers = {}
    for question, order in paper_questions(attempt.paper):
        shown = display_answer(question, order)
        answers[str(question.pk)] = {
            "single": shown, "multiple": list(shown), "truefalse": shown == "对", "fill": shown.split(" / ")[0],
        }[question.kind]
    return answers


def test_the_paper_carries_no_key_score_or_explanation_before_review(lesson_quiz):
    client = client_for()
    body = start(client, lesson_quiz)
    assert body.status_code == 201
    raw = body.content.decode()
    for forbidden in ('"answer"', '"explanation"', '"correct"', '"earned"', "每日一课是金句加精品视频课", "报到|"):
        assert forbidden not in raw
    page = client.get(f"/quizzes/attempts/{body.json()['id']}/").content.decode()
    for forbidden in ("每日一课是金句加精品视频课", "调休日按工作日安排", "正确答案", "解析"):
        assert forbidden not in page
    assert len(body.json()["questions"]) == 8


def test_after_the_last_attempt_the_review_shows_answers_and_explanations(lesson_quiz):
    lesson_quiz.attempts_allowed = 1
    lesson_quiz.save()
    client = client_for()
    attempt = start(client, lesson_quiz).json()
    put(client, attempt["id"], right_answers(attempt))
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert result["passed"] is True and result["score"] == result["max_score"] == "16.00"
    assert all(q["correct"] and q["explanation"] for q in result["questions"])
    page = client.get(f"/quizzes/attempts/{attempt['id']}/").content.decode()
    assert "每日一课是金句加精品视频课" in page and "回答正确" in page


def test_review_never_keeps_the_key_hidden_even_after_submission(lesson_quiz):
    lesson_quiz.review = "never"
    lesson_quiz.save()
    client = client_for()
    attempt = start(client, lesson_quiz).json()
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert '"explanation"' not in result.content.decode() and '"answer"' not in result.content.decode()
    assert result.json()["score"] == "0.00" and result.json()["passed"] is False


def test_resuming_returns_the_same_paper_with_saved_answers(lesson_quiz):
    laptop, phone = client_for(), client_for()
    first = start(laptop, lesson_quiz).json()
    answers = right_answers(first)
    some = dict(list(answers.items())[:3])
    assert put(laptop, first["id"], some).json()["answered"] == 3
    again = start(phone, lesson_quiz).json()
    assert again["id"] == first["id"]
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in first["questions"]]
    assert [q["options"] for q in again["questions"]] == [q["options"] for q in first["questions"]]
    saved = {str(q["id"]): q.get("response") for q in again["questions"] if q.get("response") is not None}
    assert saved == some


def test_draw_and_shuffle_are_reproducible_from_the_stored_attempt():
    bank, _ = question_bank(count=20)
    quiz = quiz_on(DailyLessonPage.objects.live().first(), bank=bank, draw=6)
    attempt = start(client_for(), quiz).json()
    stored = Attempt.objects.get(pk=attempt["id"])
    assert len(stored.paper) == 6
    assert draw_paper(quiz, stored.seed) == stored.paper
    other = Attempt.objects.get(pk=start(client_for("trainee01"), quiz).json()["id"])
    assert other.paper != stored.paper  # a different seed draws a different paper


def test_a_late_submission_grades_only_what_was_saved_in_time(lesson_quiz):
    lesson_quiz.time_limit_minutes = 10
    lesson_quiz.save()
    client = client_for()
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False) as clock:
        attempt = start(client, lesson_quiz).json()
        answers = right_answers(attempt)
        items = list(answers.items())
        put(client, attempt["id"], dict(items[:4]))
        clock.shift(dt.timedelta(minutes=11))
        late = put(client, attempt["id"], dict(items[4:]))
        assert late.status_code == 409 and late.json()["code"] == "time_over"
        result = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert result["score"] == "8.00"  # four questions × 2 points
    assert result["status"] == "graded"


def test_a_replayed_submission_grades_once_and_returns_the_same_result(lesson_quiz):
    client = client_for()
    attempt = start(client, lesson_quiz).json()
    put(client, attempt["id"], right_answers(attempt))
    first = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    again = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert first == again
    assert LedgerEntry.objects.filter(user__username="trainee", kind="quiz", object_id=lesson_quiz.pk).count() == 1
    changed = put(client, attempt["id"], {})
    assert changed.status_code == 409 and changed.json()["code"] == "already_submitted"


def test_the_attempts_limit_is_enforced(lesson_quiz):
    lesson_quiz.attempts_allowed = 2
    lesson_quiz.save()
    client = client_for()
    for _ in range(2):
        attempt = start(client, lesson_quiz).json()
        client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    refused = start(client, lesson_quiz)
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_attempts_left" and "次数已用完" in refused.json()["message"]


def test_a_quiz_outside_its_window_refuses_to_start(lesson_quiz):
    client = client_for()
    lesson_quiz.opens_at = timezone.now() + dt.timedelta(days=1)
    lesson_quiz.save()
    assert start(client, lesson_quiz).json()["code"] == "not_started"
    lesson_quiz.opens_at, lesson_quiz.closes_at = None, timezone.now() - dt.timedelta(minutes=1)
    lesson_quiz.save()
    assert start(client, lesson_quiz).json()["code"] == "closed"


def test_another_trainees_attempt_is_a_404_everywhere(lesson_quiz):
    attempt = start(client_for(), lesson_quiz).json()
    intruder = client_for("trainee01")
    assert intruder.get(f"/api/v1/attempts/{attempt['id']}").status_code == 404
    assert put(intruder, attempt["id"], {}).status_code == 404
    assert intruder.post(f"/api/v1/attempts/{attempt['id']}/submit").status_code == 404
    assert intruder.get(f"/quizzes/attempts/{attempt['id']}/").status_code == 404
    assert Attempt.objects.get(pk=attempt["id"]).status == "in_progress"


def _start_save_submit_queries(size):
    _, questions = question_bank(name=f"规模{size}", count=size)
    quiz = quiz_on(LessonPage.objects.live().first(), questions)
    client = client_for()
    start(client, quiz_on(LessonPage.objects.live().first(), questions[:1]))  # warm session and caches
    with CaptureQueriesContext(connection) as started:
        attempt = start(client, quiz).json()
    assert len(attempt["questions"]) == size
    answers = right_answers(attempt)
    with CaptureQueriesContext(connection) as saved:
        assert put(client, attempt["id"], answers).status_code == 200
    with CaptureQueriesContext(connection) as submitted:
        assert client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()["passed"]
    Attempt.objects.filter(user__username="trainee").delete()
    return [[q["sql"] for q in captured.captured_queries] for captured in (started, saved, submitted)]


def test_start_save_and_submit_cost_few_queries_whatever_the_quiz_size():
    """Pinned (the test's transaction turns each atomic block into a SAVEPOINT/RELEASE pair, counted here).

    start: session, user, quiz with its page, the trainee's attempts at it (one locked read), the paper's
    questions, INSERT, the questions for the response — 7, plus 2 savepoint pairs.
    save: session, user, the locked attempt (its row only, read with its quiz for the close), UPDATE — 4,
    plus 1 pair.
    submit (a passed lesson quiz, no lesson progress): session, user, the locked attempt with quiz and page,
    the questions, UPDATE of the graded columns, the quiz's ledger INSERT, the locked progress row, the
    trainee's attempt count (may the key be shown yet?), the questions for the response — 9, plus 2 pairs (the submission, the ledger insert). No second read of
    the user or the page."""
    five, twenty = _start_save_submit_queries(5), _start_save_submit_queries(20)
    assert [len(queries) for queries in five] == [len(queries) for queries in twenty] == [11, 6, 13], five
    assert not [sql for sql in five[2] if 'FROM "auth_user"' in sql][1:], "the user is read once, by the session"
    assert not [sql for sql in five[2] if 'FROM "wagtailcore_page"' in sql and "assessments_attempt" not in sql]
    if connection.vendor == "postgresql":  # the attempt's row only, not the quiz and page every trainee reads
        assert any('FOR UPDATE OF "assessments_attempt"' in sql for sql in five[2]), five[2]


@pytest.mark.parametrize(("right", "passed"), [(3, True), (2, False)])
def test_a_score_exactly_at_the_pass_mark_passes(right, passed):
    """Pass mark 60 %: 3 of 5 equal questions is exactly 60 % and passes; 2 of 5 (40 %) does not."""
    _, questions = question_bank(name="及格线题库", count=5)
    quiz = quiz_on(LessonPage.objects.live().first(), questions, pass_mark=60)
    client = client_for()
    attempt = start(client, quiz).json()
    put(client, attempt["id"], dict(list(right_answers(attempt).items())[:right]))
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert (result["score"], result["max_score"]) == (f"{right * 2}.00", "10.00")
    assert result["passed"] is passed
    credited = LedgerEntry.objects.filter(user__username="trainee", kind="quiz", object_id=quiz.pk).exists()
    assert credited is passed
