"""Quiz statistics for trainers and administrators (reads only).

`quiz_stats(quiz, user)` summarises the quiz's graded attempts that `user` may see: trainers, content
reviewers and superusers (whoever may view quizzes) see every attempt; an organisation administrator
sees only attempts by trainees inside their subtrees; anyone else gets `PermissionDenied`.

The work is a fixed number of queries whatever the number of attempts: the attempts' paper, answers
and results in one `.values()` query (streamed), the questions in one query per 500 question ids,
and the quiz's fixed question order in one more. Responses are stored in the letters the trainee saw;
option counts are reported by the question's own (original) letters, mapped through the paper's
option order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from assessments.grading import _chosen_original_letters
from assessments.models import Attempt, Question, Quiz
from assessments.validation import LETTERS, answer_letters, truth_value
from core.api import xlsx_row
from orgs import api as orgs

BUCKETS = 10
QUESTION_CHUNK = 500
STATS_PERMISSION = "assessments.view_quiz"


# --- who sees what --------------------------------------------------------------------------------

def sees_all_attempts(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(STATS_PERMISSION)))


def can_view_stats(user) -> bool:
    return sees_all_attempts(user) or bool(user and user.is_authenticated and orgs.is_org_admin(user))


def scoped_attempts(user) -> QuerySet[Attempt]:
    """Attempts whose figures `user` may see (not yet narrowed to a quiz)."""
    if sees_all_attempts(user):
        return Attempt.objects.all()
    if can_view_stats(user):
        return Attempt.objects.filter(user_id__in=orgs.trainees_in_scope(user).values("user_id"))
    raise PermissionDenied


def quizzes_with_counts(user) -> QuerySet[Quiz]:
    """Every quiz, with `graded_count` — the graded attempts `user` may see; one query."""
    condition = Q(attempts__status=Attempt.Status.GRADED)
    if not sees_all_attempts(user):
        if not can_view_stats(user):
            raise PermissionDenied
        condition &= Q(attempts__user_id__in=orgs.trainees_in_scope(user).values("user_id"))
    return (Quiz.objects.select_related("page").annotate(graded_count=Count("attempts", filter=condition))
            .order_by("title", "id"))


# --- mapping responses ------------------------------------------------------------------------------

def original_letters(response, display_order: list[int]) -> set[str] | None:
    """The question's own option letters for a response given in display letters (None if malformed)."""
    return _chosen_original_letters(response, display_order)


# --- figures ----------------------------------------------------------------------------------------

@dataclass
class OptionFigure:
    letter: str
    text: str
    correct: bool
    chosen: int = 0
    rate: float | None = None  # share of the answered responses that chose it

    @property
    def rate_label(self) -> str:
        return percent_label(self.rate)

    @property
    def width(self) -> int:
        return bar_width(self.rate)


@dataclass
class QuestionFigure:
    number: int
    question: Question
    presented: int = 0  # attempts whose paper held the question
    answered: int = 0
    correct: int = 0
    options: list[OptionFigure] = field(default_factory=list)
    true_chosen: int = 0  # 判断题 only
    false_chosen: int = 0

    @property
    def correct_rate(self) -> float | None:
        """答对次数 ÷ 出题次数 (an unanswered question counts as wrong)."""
        return self.correct / self.presented if self.presented else None

    @property
    def correct_rate_label(self) -> str:
        return percent_label(self.correct_rate)

    @property
    def correct_width(self) -> int:
        return bar_width(self.correct_rate)

    @property
    def answer_label(self) -> str:
        return answer_label(self.question)

    @property
    def is_choice(self) -> bool:
        return self.question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)

    @property
    def option_counts(self) -> dict[str, int]:
        return {option.letter: option.chosen for option in self.options}


@dataclass
class Bucket:
    low: int
    high: int
    count: int = 0
    share: float = 0.0  # of the graded attempts with a score
    share_of_max: float = 0.0  # of the largest bucket, for the bar's width

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"

    @property
    def width(self) -> int:
        """Bar width in percent of the largest bucket (CSS)."""
        return bar_width(self.share_of_max)

    @property
    def share_label(self) -> str:
        return percent_label(self.share if self.count else 0.0)


@dataclass
class QuizStats:
    quiz: Quiz
    all_attempts: bool  # False: only the administrator's subtree
    graded: int = 0
    trainees: int = 0
    passed: int = 0
    passed_trainees: int = 0
    average_percent: float | None = None
    buckets: list[Bucket] = field(default_factory=list)
    questions: list[QuestionFigure] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        """Passed attempts ÷ graded attempts."""
        return self.passed / self.graded if self.graded else None

    @property
    def trainee_pass_rate(self) -> float | None:
        """Trainees with at least one passed attempt ÷ trainees with a graded attempt."""
        return self.passed_trainees / self.trainees if self.trainees else None

    @property
    def pass_rate_label(self) -> str:
        return percent_label(self.pass_rate)

    @property
    def trainee_pass_rate_label(self) -> str:
        return percent_label(self.trainee_pass_rate)

    @property
    def average_label(self) -> str:
        return percent_label(None if self.average_percent is None else self.average_percent / 100)

    @property
    def scope_label(self) -> str:
        return "全部答卷" if self.all_attempts else "仅含您管理范围内学员的答卷"


def percent_label(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def bar_width(value: float | None) -> int:
    """A bar's CSS width in percent: at least 1 for anything above zero, so it stays visible."""
    return 0 if not value else max(1, round(value * 100))


def bucket_of(score: Decimal, max_score: Decimal) -> int | None:
    """0 for 0–9 %, …, 9 for 90–100 %; None when the paper was worth nothing."""
    if not max_score:
        return None
    percent = Decimal(score) * 100 / Decimal(max_score)
    return max(0, min(BUCKETS - 1, int(percent // 10)))


def _empty_buckets() -> list[Bucket]:
    return [Bucket(low=i * 10, high=i * 10 + 9 if i < BUCKETS - 1 else 100) for i in range(BUCKETS)]


def _questions(ids: list[int]) -> dict[int, Question]:
    found: dict[int, Question] = {}
    for start in range(0, len(ids), QUESTION_CHUNK):
        found.update(Question.objects.in_bulk(ids[start:start + QUESTION_CHUNK]))
    return found


def _answered(response) -> bool:
    return response not in (None, "", [])


def quiz_stats(quiz: Quiz, user) -> QuizStats:
    """Figures for `quiz` over the graded attempts `user` may see; raises PermissionDenied otherwise."""
    attempts = scoped_attempts(user).filter(quiz=quiz, status=Attempt.Status.GRADED)
    stats = QuizStats(quiz=quiz, all_attempts=sees_all_attempts(user), buckets=_empty_buckets())

    # Per question: presented, answered, correct, and the chosen original letters / truth values.
    presented: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    correct: Counter[int] = Counter()
    letters: dict[int, Counter[str]] = {}
    truths: dict[int, Counter[bool]] = {}
    pending: list[tuple[int, object, list[int]]] = []  # (question id, response, display order) to map
    users: set[int] = set()
    passed_users: set[int] = set()
    percents: list[Decimal] = []

    rows = attempts.values_list("user_id", "score", "max_score", "passed", "paper", "answers", "results")
    for user_id, score, max_score, passed, paper, answers, results in rows.iterator(chunk_size=2000):
        stats.graded += 1
        users.add(user_id)
        if passed:
            stats.passed += 1
            passed_users.add(user_id)
        index = bucket_of(score or Decimal("0"), max_score)
        if index is not None:
            stats.buckets[index].count += 1
            percents.append(Decimal(score or 0) * 100 / Decimal(max_score))
        answers, results = answers or {}, results or {}
        for item in paper or []:
            question_id = item.get("id")
            if question_id is None:
                continue
            key = str(question_id)
            presented[question_id] += 1
            if results.get(key, {}).get("correct") is True:
                correct[question_id] += 1
            response = answers.get(key)
            if _answered(response):
                answered[question_id] += 1
                pending.append((question_id, response, item.get("options") or []))

    stats.trainees = len(users)
    stats.passed_trainees = len(passed_users)
    if percents:
        stats.average_percent = float(sum(percents) / len(percents))
    scored = sum(bucket.count for bucket in stats.buckets)
    largest = max((bucket.count for bucket in stats.buckets), default=0)
    for bucket in stats.buckets:
        bucket.share = bucket.count / scored if scored else 0.0
        bucket.share_of_max = bucket.count / largest if largest else 0.0

    questions = _questions(sorted(presented))
    for question_id, response, order in pending:
        question = questions.get(question_id)
        if question is None:
            continue
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            chosen = original_letters(response, order)
            if chosen:
                letters.setdefault(question_id, Counter()).update(chosen)
        elif question.kind == Question.Kind.TRUE_FALSE:
            value = response if isinstance(response, bool) else truth_value(str(response))
            if value is not None:
                truths.setdefault(question_id, Counter())[value] += 1

    fixed_order = list(quiz.fixed_questions.order_by("sort_order", "id").values_list("question_id", flat=True))
    rank = {question_id: position for position, question_id in enumerate(fixed_order)}
    ordered = sorted(questions.values(), key=lambda q: (rank.get(q.pk, len(rank)), q.bank_id, q.pk))
    for number, question in enumerate(ordered, start=1):
        figure = QuestionFigure(number=number, question=question, presented=presented[question.pk],
                                answered=answered[question.pk], correct=correct[question.pk])
        if figure.is_choice:
            right = set(answer_letters(question.answer))
            chosen = letters.get(question.pk, Counter())
            for position, text in enumerate(question.options):
                letter = LETTERS[position]
                figure.options.append(OptionFigure(
                    letter=letter, text=text, correct=letter in right, chosen=chosen[letter],
                    rate=chosen[letter] / figure.answered if figure.answered else None,
                ))
        elif question.kind == Question.Kind.TRUE_FALSE:
            figure.true_chosen = truths.get(question.pk, Counter())[True]
            figure.false_chosen = truths.get(question.pk, Counter())[False]
        stats.questions.append(figure)
    return stats


# --- spreadsheet --------------------------------------------------------------------------------

OVERVIEW_HEADER = ["指标", "数值"]
ITEMS_HEADER = ["序号", "试题编号", "题型", "题干", "正确答案", "出题次数", "作答次数", "答对次数", "正确率",
                *[f"选{letter}次数" for letter in LETTERS], "判断为“对”", "判断为“错”"]


def _percent(value: float | None) -> str:
    return "" if value is None else percent_label(value)


def stats_xlsx(stats: QuizStats) -> bytes:
    """Two sheets, 概况 and 逐题分析, written in openpyxl's write-only mode."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    overview = workbook.create_sheet("概况")
    overview.column_dimensions["A"].width = 24
    overview.column_dimensions["B"].width = 40
    overview.append(xlsx_row(overview, OVERVIEW_HEADER))
    for label, value in (
        ("测验", stats.quiz.title),
        ("统计范围", stats.scope_label),
        ("已评分答卷", stats.graded),
        ("参与学员", stats.trainees),
        ("及格线", f"{stats.quiz.pass_mark}%"),
        ("通过答卷", stats.passed),
        ("通过率（按答卷）", _percent(stats.pass_rate)),
        ("通过学员", stats.passed_trainees),
        ("通过率（按学员）", _percent(stats.trainee_pass_rate)),
        ("平均得分率", "" if stats.average_percent is None else stats.average_label),
    ):
        overview.append(xlsx_row(overview, [label, value]))
    overview.append([])
    overview.append(xlsx_row(overview, ["得分率分段", "答卷数", "占比"]))
    for bucket in stats.buckets:
        overview.append(xlsx_row(overview, [f"{bucket.label}%", bucket.count, _percent(bucket.share)]))

    items = workbook.create_sheet("逐题分析")
    for index, width in enumerate((6, 10, 8, 48, 10, 10, 10, 10, 10)):
        items.column_dimensions[chr(ord("A") + index)].width = width
    items.append(xlsx_row(items, ITEMS_HEADER))
    for figure in stats.questions:
        question = figure.question
        counts = figure.option_counts
        is_true_false = question.kind == Question.Kind.TRUE_FALSE
        items.append(xlsx_row(items, [
            figure.number, question.pk, question.get_kind_display(), question.stem, answer_label(question),
            figure.presented, figure.answered, figure.correct, _percent(figure.correct_rate),
            *[counts.get(letter, "") for letter in LETTERS],
            figure.true_chosen if is_true_false else "", figure.false_chosen if is_true_false else "",
        ]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def answer_label(question: Question) -> str:
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return "".join(sorted(answer_letters(question.answer)))
    if question.kind == Question.Kind.TRUE_FALSE:
        return "对" if truth_value(question.answer) else "错"
    return question.answer
