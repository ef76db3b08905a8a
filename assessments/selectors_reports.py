"""测验报表 reads: one row per quiz with 参加人数, 通过人数 and 平均分 over the graded attempts of the
trainees in the administrator's scope (through `learning.api`), optionally narrowed by organisation,
training class, track and the date of submission. One query for a page of quizzes."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from assessments.models import Attempt, Quiz
from cms.models import CoursePage, Track
from core.api import local_days

ONE_DECIMAL = Decimal("0.1")


def _submitted_between(start: dt.date | None, end: dt.date | None) -> Q:
    low, high = local_days(start, end)
    condition = Q()
    if low:
        condition &= Q(attempts__submitted_at__gte=low)
    if high:
        condition &= Q(attempts__submitted_at__lt=high)
    return condition


def _on_track(track: Track) -> Q:
    """Quizzes on a course of `track` or on any page below such a course (its lessons)."""
    condition = Q(pk__in=[])
    for course_path in CoursePage.objects.filter(track=track).values_list("path", flat=True):
        condition |= Q(page__path__startswith=course_path)
    return condition


def quiz_report_rows(trainee_user_ids, *, track: Track | None = None, start: dt.date | None = None,
                     end: dt.date | None = None) -> QuerySet[Quiz]:
    """Every quiz (on `track` when given), annotated with `participants`, `passers` (distinct trainees
    with a graded / a passed attempt) and `average_percent` (mean of score ÷ max score over those
    graded attempts), counting only attempts by `trainee_user_ids` (a sub-select of the scope)."""
    counted = (Q(attempts__status=Attempt.Status.GRADED, attempts__user_id__in=trainee_user_ids)
               & _submitted_between(start, end))
    percent = (Cast(F("attempts__score"), FloatField()) * 100.0
               / Cast(F("attempts__max_score"), FloatField()))
    quizzes = Quiz.objects.select_related("page")
    if track is not None:
        quizzes = quizzes.filter(_on_track(track))
    return (quizzes.annotate(
        participants=Count("attempts__user_id", filter=counted, distinct=True),
        passers=Count("attempts__user_id", filter=counted & Q(attempts__passed=True), distinct=True),
        average_percent=Avg(percent, filter=counted & Q(attempts__max_score__gt=0, attempts__score__isnull=False)),
    ).order_by("title", "pk"))


def one_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

