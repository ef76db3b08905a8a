"""Reads behind the admin reports (报表): training class, course and 学时 ranking.

Every function takes the administrator and starts from orgs' scoping (classes: `learning.membership`), so no row outside their
subtree can appear whatever filter values arrive. Listings are querysets (paginated by the view);
per-row figures that cannot be annotated cheaply are computed for one page (or export chunk) of
rows at a time, with one query per figure, so the query count does not grow with the data.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cms.models import CoursePage, LessonPage, Track
from core.api import local_days
from learning import membership
from learning.models import Enrollment, LedgerEntry, TrainingClass
from learning.scores import exam_scores
from orgs.api import Organization, TraineeProfile, scoping

ZERO_HOURS = Decimal("0.00")
ONE_DECIMAL = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


# --- shared -----------------------------------------------------------------------------------------

def _range_q(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    low, high = local_days(start, end)
    condition = Q()
    if low:
        condition &= Q(**{f"{field}__gte": low})
    if high:
        condition &= Q(**{f"{field}__lt": high})
    return condition


def percent(part, whole) -> Decimal | None:
    """`part / whole` in percent with one decimal (None when `whole` is zero)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def report_trainees(user, *, organization: Organization | None = None,
                    training_class: TrainingClass | None = None) -> QuerySet[TraineeProfile]:
    """Trainees in `user`'s scope, optionally within `organization`'s subtree and `training_class`.

    `organization` must come from `organizations_in_scope(user)` (the filter forms ensure it); the
    scope filter stays in place anyway, so a foreign organisation yields nothing rather than rows.
    """
    trainees = scoping.trainees_in_scope(user)
    if organization is not None:
        trainees = trainees.filter(organization__path__startswith=organization.path)
    if training_class is not None:
        trainees = trainees.filter(user_id__in=membership.members(training_class))
    return trainees


# --- 培训班报表 ---------------------------------------------------------------------------------------

def class_report_rows(user, training_class: TrainingClass, *,
                      organization: Organization | None = None) -> QuerySet[TraineeProfile]:
    """One row per class member in `user`'s scope, by organisation then name."""
    return report_trainees(user, organization=organization, training_class=training_class).order_by(
        "organization__path", "real_name", "pk")


def class_course_ids(training_class: TrainingClass) -> list[int]:
    return list(training_class.courses.order_by().values_list("pk", flat=True))


def class_figures(user_ids: list[int], course_ids: list[int], start: dt.date | None,
                  end: dt.date | None) -> dict[int, dict]:
    """Per member: 完成进度 %, 学时 within [start, end], 考试成绩, 最近学习 — three queries for any number of rows."""
    figures = {uid: {"progress": Decimal("0.0") if course_ids else None, "hours": ZERO_HOURS, "score": None,
                     "last_activity": None} for uid in user_ids}
    if not user_ids:
        return figures
    if course_ids:
        done = (Enrollment.objects.filter(user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False)
                .order_by().values("user_id").annotate(n=Count("id")).values_list("user_id", "n"))
        for uid, count in done:
            figures[uid]["progress"] = percent(count, len(course_ids))
    in_range = _range_q("occurred_at", start, end)
    ledger = (LedgerEntry.objects.filter(user_id__in=user_ids).order_by().values("user_id")
              .annotate(hours=Sum("credit_hours", filter=in_range) if in_range else Sum("credit_hours"),
                        last=Max("occurred_at"))
              .values_list("user_id", "hours", "last"))
    for uid, hours, last in ledger:
        figures[uid]["hours"] = (hours or ZERO_HOURS).quantize(HUNDREDTH)  # SQLite's SUM drops the scale
        figures[uid]["last_activity"] = last
    if course_ids:
        for uid, score in exam_scores(user_ids, course_ids).items():
            if uid in figures:
                figures[uid]["score"] = score
    return figures


# --- 课程报表 ---------------------------------------------------------------------------------------

def _count_subquery(queryset: QuerySet, group_field: str) -> Coalesce:
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def course_report_rows(user, *, organization: Organization | None = None,
                       training_class: TrainingClass | None = None, track: Track | None = None,
                       start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[CoursePage]:
    """Published courses with 选课人数 (`enrolled`) and 完成人数 (`completed`, within the date range when
    given) over the trainees in scope; one query for the page (two correlated counts per course)."""
    members = report_trainees(user, organization=organization, training_class=training_class).values("user_id")
    courses = CoursePage.objects.filter(first_published_at__isnull=False).select_related("track")
    if track is not None:
        courses = courses.filter(track=track)
    if training_class is not None:
        courses = courses.filter(pk__in=training_class.courses.values("pk"))
    enrollments = Enrollment.objects.filter(course_id=OuterRef("pk"), user_id__in=members)
    completed = enrollments.filter(Q(completed_at__isnull=False) & _range_q("completed_at", start, end))
    return courses.annotate(enrolled=_count_subquery(enrollments, "course_id"),
                            completed=_count_subquery(completed, "course_id")).order_by("path")


def course_hours(courses: list[CoursePage], member_user_ids, start: dt.date | None,
                 end: dt.date | None) -> dict[int, Decimal]:
    """学时合计 per course: the ledger credit of its lessons and of its completion, earned by the given
    trainees within the date range. Two queries (the lessons, then the ledger) for any number of courses."""
    if not courses:
        return {}
    course_of: dict[int, int] = {course.pk: course.pk for course in courses}
    lessons_q = Q(pk__in=[])
    for course in courses:
        lessons_q |= Q(path__startswith=course.path, depth=course.depth + 1)
    for lesson_id, path in LessonPage.objects.filter(lessons_q).values_list("pk", "path"):
        parent = next((c for c in courses if path.startswith(c.path)), None)
        if parent is not None:
            course_of[lesson_id] = parent.pk
    lesson_ids = [pk for pk, course_id in course_of.items() if pk != course_id]
    rows = (LedgerEntry.objects.filter(Q(kind=LedgerEntry.Kind.COURSE, object_id__in=[c.pk for c in courses])
                                       | Q(kind=LedgerEntry.Kind.LESSON, object_id__in=lesson_ids),
                                       _range_q("occurred_at", start, end), user_id__in=member_user_ids)
            .order_by().values("object_id").annotate(hours=Sum("credit_hours")).values_list("object_id", "hours"))
    totals = {course.pk: ZERO_HOURS for course in courses}
    for object_id, hours in rows:
        totals[course_of[object_id]] += hours or ZERO_HOURS
    return {course_id: total.quantize(HUNDREDTH) for course_id, total in totals.items()}
