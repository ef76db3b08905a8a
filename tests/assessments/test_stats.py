"""Quiz statistics (assessments.stats) on a small hand-built set of attempts with known figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import Page

from assessments.models import Attempt, Question, QuestionBank, Quiz, QuizQuestion
from assessments.stats import bucket_of, original_letters, quiz_stats, quizzes_with_counts
from orgs.api import Organization, TraineeProfile

pytestmark = pytest.mark.django_db

HONGQI = "22010401"  # 红旗街道, street_admin's scope


def hongqi_split() -> tuple[list[User], list[User]]:
    """Demo trainees inside 红旗街道's subtree and outside it, read from their profiles."""
    street = Organization.objects.get(code=HONGQI)
    inside, outside = [], []
    for profile in TraineeProfile.objects.select_related("user", "organization").order_by("user__username"):
        (inside if profile.organization.path.startswith(street.path) else outside).append(profile.user)
    return inside, outside


def build_quiz(title="统计测验") -> tuple[Quiz, dict[str, Question]]:
    bank = QuestionBank.objects.create(name=f"{title}题库")
    questions = {
        "single": Question.objects.create(bank=bank, kind="single", stem="居委会每届任期几年？", option_a="三年",
                                          option_b="五年", option_c="四年", option_d="六年", answer="B"),
        "multiple": Question.objects.create(bank=bank, kind="multiple", stem="网格员做哪些事？", option_a="走访",
                                            option_b="审批", option_c="采集", answer="AC"),
        "truefalse": Question.objects.create(bank=bank, kind="truefalse", stem="调休的周六是工作日。", answer="对"),
        "fill": Question.objects.create(bank=bank, kind="fill", stem="街乡吹哨、部门____。", answer="报到"),
    }
    page = Page.objects.filter(depth__gt=2).order_by("id").first()
    quiz = Quiz.objects.create(title=title, page=page, pass_mark=60)
    for order, question in enumerate(questions.values()):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz, questions


def attempt(quiz, user, number, *, orders, answers, correct, status=Attempt.Status.GRADED) -> Attempt:
    """`orders`: question → display order (original option index per display position);
    `answers`: question → response in DISPLAY letters; `correct`: the questions answered right."""
    questions = {q.kind: q for q in Question.objects.filter(pk__in=[item.question_id for item in
                                                                      quiz.fixed_questions.all()])}
    paper = [{"id": questions[kind].pk, "options": orders.get(kind, [])}
             for kind in ("single", "multiple", "truefalse", "fill")]
    results = {str(questions[kind].pk): {"earned": "1.0" if kind in correct else "0", "correct": kind in correct}
               for kind in questions}
    score = Decimal(len(correct))
    now = timezone.now() - dt.timedelta(hours=1)
    return Attempt.objects.create(
        quiz=quiz, user=user, number=number, status=status, seed=number, paper=paper,
        answers={str(questions[kind].pk): value for kind, value in answers.items()}, started_at=now,
        submitted_at=now if status == Attempt.Status.GRADED else None,
        score=score if status == Attempt.Status.GRADED else None, max_score=Decimal("4"),
        passed=score * 100 >= 4 * 60 if status == Attempt.Status.GRADED else None,
        results=results if status == Attempt.Status.GRADED else {},
    )


def hand_built_attempts(quiz):
    """Four graded attempts (two trainees inside 红旗街道, one outside) and one still open.

    Options are shown shuffled; in display letters the responses look nothing like the key.
    """
    inside, outside = hongqi_split()
    first, second, stranger = inside[0], inside[1], outside[0]
    # single: display A,B,C,D = original C,A,D,B — display "D" is original B (right).
    attempt(quiz, first, 1, orders={"single": [2, 0, 3, 1], "multiple": [1, 2, 0]},
            answers={"single": "D", "multiple": ["B", "C"], "truefalse": "对", "fill": "报到"},
            correct={"single", "multiple", "truefalse", "fill"})  # multiple: display B,C = original C,A
    attempt(quiz, stranger, 1, orders={"single": [0, 1, 2, 3], "multiple": [0, 1, 2]},
            answers={"single": "A", "multiple": ["A"], "truefalse": "错"}, correct=set())
    attempt(quiz, second, 1, orders={"single": [3, 2, 1, 0], "multiple": [2, 0, 1]},
            answers={"single": "C", "multiple": ["A"], "truefalse": "对", "fill": "报道"},
            correct={"single", "truefalse"})  # single: display C = original B; multiple: display A = original C
    attempt(quiz, first, 2, orders={"single": [1, 0, 2, 3], "multiple": [0, 1, 2]},
            answers={"single": "A"}, correct={"single"})  # display A = original B
    attempt(quiz, stranger, 2, orders={"single": [0, 1, 2, 3]}, answers={"single": "B"}, correct=set(),
            status=Attempt.Status.IN_PROGRESS)
    return first, second, stranger


def _figures(stats) -> dict[str, object]:
    return {figure.question.kind: figure for figure in stats.questions}


def test_response_letters_map_back_to_the_questions_own_letters():
    assert original_letters("D", [2, 0, 3, 1]) == {"B"}
    assert original_letters(["B", "C"], [1, 2, 0]) == {"C", "A"}
    assert original_letters("E", [0, 1, 2, 3]) is None
    assert [bucket_of(Decimal(s), Decimal(100)) for s in ("0", "9.99", "10", "59.9", "90", "100")] == [0, 0, 1, 5, 9, 9]
    assert bucket_of(Decimal("0"), Decimal("0")) is None


def test_figures_for_everyone_count_every_graded_attempt_by_original_letter():
    quiz, _questions = build_quiz()
    hand_built_attempts(quiz)
    stats = quiz_stats(quiz, User.objects.get(username="trainer"))
    assert stats.all_attempts
    assert (stats.graded, stats.trainees, stats.passed, stats.passed_trainees) == (4, 3, 1, 1)
    assert stats.pass_rate == 0.25 and stats.trainee_pass_rate == pytest.approx(1 / 3)
    assert stats.average_percent == pytest.approx((100 + 0 + 50 + 25) / 4)
    assert [bucket.count for bucket in stats.buckets] == [1, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    assert [bucket.label for bucket in stats.buckets][::9] == ["0–9", "90–100"]

    figures = _figures(stats)
    assert [figure.question.kind for figure in stats.questions] == ["single", "multiple", "truefalse", "fill"]
    single, multiple, truefalse, fill = (figures[k] for k in ("single", "multiple", "truefalse", "fill"))
    assert (single.presented, single.answered, single.correct, single.correct_rate) == (4, 4, 3, 0.75)
    # By original letter; counted in display letters it would read A:2, C:1, D:1.
    assert single.option_counts == {"A": 1, "B": 3, "C": 0, "D": 0}
    assert [option.correct for option in single.options] == [False, True, False, False]
    assert (multiple.presented, multiple.answered, multiple.correct, multiple.correct_rate) == (4, 3, 1, 0.25)
    assert multiple.option_counts == {"A": 2, "B": 0, "C": 2}
    assert (truefalse.answered, truefalse.correct, truefalse.true_chosen, truefalse.false_chosen) == (3, 2, 2, 1)
    assert (fill.answered, fill.correct, fill.correct_rate) == (2, 1, 0.25)
    assert fill.options == []


def test_an_organisation_administrator_sees_only_attempts_of_trainees_in_the_subtree():
    quiz, _questions = build_quiz()
    first, second, stranger = hand_built_attempts(quiz)
    street = Organization.objects.get(code=HONGQI)
    assert first.profile.organization.path.startswith(street.path)
    assert second.profile.organization.path.startswith(street.path)
    assert not stranger.profile.organization.path.startswith(street.path)

    stats = quiz_stats(quiz, User.objects.get(username="street_admin"))
    assert not stats.all_attempts
    assert (stats.graded, stats.trainees, stats.passed) == (3, 2, 1)
    assert [bucket.count for bucket in stats.buckets] == [0, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    figures = _figures(stats)
    assert figures["single"].option_counts == {"A": 0, "B": 3, "C": 0, "D": 0}
    assert figures["multiple"].option_counts == {"A": 1, "B": 0, "C": 2}
    assert (figures["truefalse"].true_chosen, figures["truefalse"].false_chosen) == (2, 0)

    listed = {q.pk: q.graded_count for q in quizzes_with_counts(User.objects.get(username="street_admin"))}
    assert listed[quiz.pk] == 3
    assert {q.pk: q.graded_count for q in quizzes_with_counts(User.objects.get(username="admin"))}[quiz.pk] == 4


def test_people_without_access_get_permission_denied():
    quiz, _questions = build_quiz()
    for username in ("trainee", "trainee01"):
        with pytest.raises(PermissionDenied):
            quiz_stats(quiz, User.objects.get(username=username))


def test_no_attempts_means_empty_figures_not_errors():
    quiz, questions = build_quiz()
    stats = quiz_stats(quiz, User.objects.get(username="admin"))
    assert stats.graded == 0 and stats.pass_rate is None and stats.average_percent is None
    assert stats.questions == []
