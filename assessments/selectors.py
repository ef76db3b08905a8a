"""Reads: what a trainee may see of a quiz and an attempt (never the key before review is allowed)."""

import datetime as dt

from django.utils import timezone

from assessments.grading import display_answer
from assessments.models import Attempt, Question, Quiz
from assessments.paper import paper_questions
from assessments.validation import LETTERS


def quizzes_for_page(page_id: int) -> list[Quiz]:
    return list(Quiz.objects.filter(page_id=page_id).order_by("id"))


def review_allowed(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    """May the trainee see the key, explanations and per-question marks of this graded attempt?

    Never while another attempt with these questions can follow, whatever the trainer chose: "after each
    attempt" waits until the trainee has used every attempt or the quiz has closed (a blank first try must
    not hand over the key for the second); "after the close" waits for the close; "never" is never."""
    if attempt.status != Attempt.Status.GRADED:
        return False
    quiz = attempt.quiz
    closed = bool(quiz.closes_at) and (now or timezone.now()) >= quiz.closes_at
    if quiz.review == Quiz.Review.AFTER_CLOSE:
        return closed
    if quiz.review == Quiz.Review.AFTER_ATTEMPT:
        return closed or Attempt.objects.filter(quiz_id=quiz.pk, user_id=attempt.user_id).count() >= quiz.attempts_allowed
    return False


def attempt_view(attempt: Attempt, now: dt.datetime | None = None) -> dict:
    """Everything the page or the API may show for `attempt` right now, in display order."""
    now = now or timezone.now()
    review = review_allowed(attempt, now)
    graded = attempt.status == Attempt.Status.GRADED
    questions = []
    for number, (question, order) in enumerate(paper_questions(attempt.paper), start=1):
        item = {
            "id": question.pk,
            "number": number,
            "kind": question.kind,
            "kind_label": question.get_kind_display(),
            "stem": question.stem,
            "score": question.score,
            "options": [{"key": LETTERS[pos], "text": question.options[idx]} for pos, idx in enumerate(order)]
            if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) else [],
            "response": attempt.answers.get(str(question.pk)),
        }
        if review:  # per-question marks would reveal the key as surely as the key itself
            item["earned"] = attempt.results.get(str(question.pk), {}).get("earned")
            item["correct"] = attempt.results.get(str(question.pk), {}).get("correct", False)
            item["answer"] = display_answer(question, order)
            item["explanation"] = question.explanation
        questions.append(item)
    seconds_left = None
    if attempt.effective_deadline and not graded:
        seconds_left = max(0, int((attempt.effective_deadline - now).total_seconds()))
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "quiz_title": attempt.quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.effective_deadline,
        "seconds_left": seconds_left,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score if graded else None,
        "max_score": attempt.max_score if graded else None,
        "passed": attempt.passed if graded else None,
        "pass_mark": attempt.quiz.pass_mark,
        "review_available": review,
        "review_policy": attempt.quiz.review,
        "attempts_allowed": attempt.quiz.attempts_allowed,
        "questions": questions,
    }


def attempt_for_user(user, attempt_id: int) -> Attempt | None:
    return Attempt.objects.select_related("quiz", "quiz__page").filter(pk=attempt_id, user=user).first()


def quiz_state(quiz: Quiz, user) -> dict:
    """For the quiz card on a content page: best result, open attempt, attempts left."""
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number")) if user.is_authenticated else []
    graded = [a for a in attempts if a.status == Attempt.Status.GRADED]
    return {
        "quiz": quiz,
        "open_attempt": next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None),
        "best": max(graded, key=lambda a: a.score) if graded else None,
        "passed": any(a.passed for a in graded),
        "attempts_left": max(0, quiz.attempts_allowed - len(attempts)),
    }


def answered_count(attempt: Attempt) -> int:
    """Questions of the paper with an answer (an empty text or no option ticked is no answer)."""
    return sum(1 for item in attempt.paper if attempt.answers.get(str(item["id"])) not in (None, "", []))


def unanswered_count(attempt: Attempt) -> int:
    return len(attempt.paper) - answered_count(attempt)


def attempt_expired(attempt: Attempt, now=None) -> bool:
    """Past its deadline (the time limit, or the quiz's close when that comes first)."""
    now = now or timezone.now()
    return attempt.effective_deadline is not None and now >= attempt.effective_deadline
