"""Attempts: start or resume, autosave, submit and grade. Each function is one transaction.

The paper (questions and option order) is fixed when an attempt starts; saves after the deadline are
refused, so grading a late submission counts only what was saved in time; a second submit returns
the first result.
"""

import datetime as dt
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.grading import grade
from assessments.models import Attempt, Quiz
from assessments.paper import draw_paper, paper_questions
from core.api import DomainError
from learning import api as learning


class QuizError(DomainError):
    status = 409


def _check_window(quiz: Quiz, now: dt.datetime) -> None:
    if not quiz.page.live:
        raise QuizError("not_found", _("测验不存在或尚未发布。"), 404)
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizError("not_started", _("测验尚未开始，开放时间：%(time)s。") % {
            "time": timezone.localtime(quiz.opens_at).strftime("%Y-%m-%d %H:%M")})
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizError("closed", _("测验已关闭，不能再作答。"))


# What grading writes: the paper and the answers stay as they are, so they are not sent again.
GRADED_FIELDS = ["status", "submitted_at", "score", "max_score", "passed", "results"]


def _grade(attempt: Attempt, user, now: dt.datetime) -> Attempt:
    """Grade `attempt` (of `user`, the request's user: not loaded again) as of `now`."""
    quiz = attempt.quiz
    earned_total, max_total, results = Decimal("0"), Decimal("0"), {}
    for question, order in paper_questions(attempt.paper):
        earned, correct = grade(question, order, attempt.answers.get(str(question.pk)),
                                partial_credit=quiz.partial_credit)
        max_total += Decimal(question.score)
        earned_total += earned
        results[str(question.pk)] = {"earned": str(earned), "correct": correct}
    attempt.status = Attempt.Status.GRADED
    attempt.submitted_at = now
    cents = Decimal("0.01")
    attempt.score, attempt.max_score = earned_total.quantize(cents), max_total.quantize(cents)
    attempt.results = results
    attempt.passed = bool(max_total) and attempt.score * 100 >= attempt.max_score * quiz.pass_mark
    attempt.save(update_fields=GRADED_FIELDS)
    if attempt.passed:
        hours, points = learning.quiz_credit()
        learning.ledger_record(user_id=attempt.user_id, kind=learning.LedgerKind.QUIZ, object_id=quiz.pk,
                               title=quiz.title, credit_hours=hours, points=points, occurred_at=now)
    # A graded (daily) or passed (lesson, course) quiz may complete the page it belongs to.
    learning.completion_recheck(user=user, page_id=quiz.page_id, page=quiz.page, now=now)
    return attempt


def _expired(attempt: Attempt, now: dt.datetime) -> bool:
    return selectors.attempt_expired(attempt, now)


@transaction.atomic
def attempt_start(*, user, quiz: Quiz, now: dt.datetime | None = None) -> Attempt:
    """The trainee's open attempt (resumed as saved), or a new one with a freshly drawn paper."""
    now = now or timezone.now()
    _check_window(quiz, now)
    # One locked read of the trainee's attempts at this quiz (a handful): the open one and how many were used.
    attempts = list(Attempt.objects.select_for_update().filter(quiz=quiz, user=user))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt:
        open_attempt.quiz = quiz  # already loaded, with its page
        if not _expired(open_attempt, now):
            return open_attempt
        _grade(open_attempt, user, open_attempt.effective_deadline)  # time ran out while away: grade what was saved
    used = len(attempts)
    if used >= quiz.attempts_allowed:
        raise QuizError("no_attempts_left", _("作答次数已用完（共 %(n)d 次）。") % {"n": quiz.attempts_allowed})
    seed = secrets.randbits(62)
    deadline = now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if quiz.closes_at and (deadline is None or deadline > quiz.closes_at):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz, user=user, number=used + 1, seed=seed, paper=draw_paper(quiz, seed),
                started_at=now, deadline=deadline,
            )
    except IntegrityError:  # a concurrent start won the race: resume that one
        attempt = Attempt.objects.get(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS)
        attempt.quiz = quiz
        return attempt


def _own_attempt(user, attempt_id: int, *, with_quiz: bool) -> Attempt:
    """`user`'s attempt, locked for this transaction: only its own row (`of`), not its quiz's and page's,
    which every trainee taking the quiz reads at the same time."""
    attempts = Attempt.objects.select_for_update(of=("self",)).filter(pk=attempt_id, user=user)
    attempt = (attempts.select_related("quiz", "quiz__page") if with_quiz else attempts).first()
    if attempt is None:  # another trainee's attempt is indistinguishable from a missing one
        raise QuizError("not_found", _("答卷不存在。"), 404)
    return attempt


@transaction.atomic
def answers_save(*, user, attempt_id: int, answers: dict, now: dt.datetime | None = None) -> Attempt:
    now = now or timezone.now()
    attempt = _own_attempt(user, attempt_id, with_quiz=True)  # the quiz for its close (read, not locked)
    if attempt.status == Attempt.Status.GRADED:
        raise QuizError("already_submitted", _("答卷已提交，不能再修改。"))
    if attempt.quiz.closes_at and now >= attempt.quiz.closes_at:
        raise QuizError("quiz_closed", _("测验已关闭，之后的修改不再保存；请提交答卷，按关闭前保存的答案评分。"))
    if _expired(attempt, now):
        raise QuizError("time_over", _("作答时间已到，之后的修改不再保存；请提交答卷。"))
    allowed = {str(item["id"]) for item in attempt.paper}
    unknown = set(answers) - allowed
    if unknown:
        raise QuizError("invalid_question", _("答案中包含不属于本试卷的题目。"), 422)
    attempt.answers = {**attempt.answers, **answers}
    attempt.answers_saved_at = now
    attempt.save(update_fields=["answers", "answers_saved_at"])
    return attempt


@transaction.atomic
def attempt_submit(*, user, attempt_id: int, now: dt.datetime | None = None) -> Attempt:
    """Grade once; a repeated submit (double click, retry) returns the same graded attempt."""
    now = now or timezone.now()
    attempt = _own_attempt(user, attempt_id, with_quiz=True)
    if attempt.status == Attempt.Status.GRADED:
        return attempt
    # After the deadline or an early close, what was saved until then is graded, as of then.
    end = attempt.effective_deadline
    return _grade(attempt, user, min(now, end) if end else now)
