"""统计汇总: per-organisation daily rollups and per-class figures, recomputed from the ledger.

One function computes a day: the ledger entries of that local day grouped by trainee, each trainee's
figures credited to their own organisation, then summed up the tree (every trainee belongs to one
organisation, so distinct-trainee counts add up correctly). The minute-by-minute refresh, the
overnight finalisation and `manage.py stats_rebuild --date` all call it, so they cannot disagree;
it upserts and then deletes the day's stale rows, so a re-run (or a run after a killed worker) writes
the same rows. The ledger is the outbox: the refresh keeps the highest ledger id it has seen and
recomputes every day that received entries since, so a late entry is never a lost update.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cms import selectors as cms_selectors
from core.api import JobRun, local_days
from learning.api import Enrollment, LedgerEntry, TrainingClass, class_members, day_points, exam_scores
from orgs.api import Organization, TraineeProfile, rolled_up
from stats.models import ClassStats, OrgDailyStats

REFRESH_JOB = "stats-refresh"
SAFETY_IDS = 10_000  # re-check recent ids: a slow transaction may commit a lower id late
COUNT_FIELDS = {
    LedgerEntry.Kind.LESSON: "lessons_completed",
    LedgerEntry.Kind.COURSE: "courses_completed",
    LedgerEntry.Kind.CASE: "cases_read",
    LedgerEntry.Kind.QUIZ: "quizzes_passed",
    LedgerEntry.Kind.JOURNAL: "journals",
}
FIGURES = ["trainees", "active_trainees", "daily_done", "credit_hours", "points", *COUNT_FIELDS.values()]


def _own_figures(day: dt.date) -> dict[int, dict]:
    """Figures per organisation for its own members only (not its subtree)."""
    start, end = local_days(day, day)
    own: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    # A trainee counts on `day` when their account is active and existed by the day's end; only
    # their activity counts, so 参学人数 never exceeds 学员数 (a deactivated trainee's old entries
    # would otherwise make a participation rate above 100 %).
    counted = {"user__is_active": True, "user__date_joined__lt": end}
    for org_id, count in (TraineeProfile.objects.filter(**counted)
                          .order_by().values("organization_id").annotate(n=Count("id"))
                          .values_list("organization_id", "n")):
        own[org_id]["trainees"] = count
    lesson = cms_selectors.daily_lesson_for(day)
    per_kind = {f"n_{kind}": Count("id", filter=Q(kind=kind)) for kind in COUNT_FIELDS}
    daily = Count("id", filter=Q(kind=LedgerEntry.Kind.DAILY, object_id=lesson.pk)) if lesson else Count(
        "id", filter=Q(pk__in=[]))
    rows = (LedgerEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end, user__profile__isnull=False,
                                       **counted)
            .order_by().values("user_id", "user__profile__organization_id")
            .annotate(hours=Sum("credit_hours"), points=Sum("points"), daily=daily, **per_kind))
    for row in rows:
        figures = own[row["user__profile__organization_id"]]
        figures["active_trainees"] += 1
        figures["daily_done"] += 1 if row["daily"] else 0
        figures["credit_hours"] += row["hours"] or Decimal("0")
        figures["points"] += day_points(row["points"])
        for kind, field in COUNT_FIELDS.items():
            figures[field] += row[f"n_{kind}"]
    return own


def _rolled_up(own: dict[int, dict]) -> dict[int, dict]:
    """Each organisation's own figures summed into itself and every ancestor, keyed by organisation id."""
    path_of = dict(Organization.objects.values_list("id", "path"))
    id_of = {path: org_id for org_id, path in path_of.items()}
    rows = [{**figures, "path": path_of.get(org_id)} for org_id, figures in own.items()]
    return {id_of[path]: figures for path, figures in rolled_up(rows, "path", FIGURES).items()}


def stats_rebuild_day(day: dt.date) -> int:
    """Recompute every organisation's rollup for `day`; returns the number of rows written."""
    totals = _rolled_up(_own_figures(day))
    now = timezone.now()
    # In organisation order, so that two overlapping runs (a redelivered task, the overnight finalise)
    # lock the day's rows in the same order and cannot deadlock each other.
    rows = [OrgDailyStats(organization_id=org_id, date=day, computed_at=now, **figures)
            for org_id, figures in sorted(totals.items())]
    with transaction.atomic():
        OrgDailyStats.objects.bulk_create(rows, update_conflicts=True, unique_fields=["organization", "date"],
                                          update_fields=[*FIGURES, "computed_at"], batch_size=2000)
        # The day's stale rows (an organisation whose last trainee left) go by set difference, not by
        # `computed_at < now`: a clock stepped back, or two runs within one clock tick, kept them.
        stale = sorted(set(OrgDailyStats.objects.filter(date=day).values_list("organization_id", flat=True))
                       - totals.keys())
        for first in range(0, len(stale), 500):
            OrgDailyStats.objects.filter(date=day, organization_id__in=stale[first:first + 500]).delete()
    return len(rows)


def class_stats_rebuild(*, class_ids: list[int] | None = None) -> int:
    """Members, members who completed every required course, and the average exam score per class."""
    classes = TrainingClass.objects.prefetch_related("member_organizations", "courses")
    if class_ids is not None:
        classes = classes.filter(pk__in=class_ids)
    now = timezone.now()
    rows = []
    for training_class in classes:
        members = class_members(training_class)
        course_ids = [course.pk for course in training_class.courses.all()]
        completed = 0
        if course_ids:
            completed = (Enrollment.objects.filter(user_id__in=members, course_id__in=course_ids,
                                                   completed_at__isnull=False)
                         .order_by().values("user_id").annotate(n=Count("id")).filter(n=len(course_ids)).count())
        scores = list(exam_scores(members, course_ids).values()) if course_ids else []
        average = (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None
        rows.append(ClassStats(training_class=training_class, members=members.count(), completed=completed,
                               average_score=average, computed_at=now))
    ClassStats.objects.bulk_create(rows, update_conflicts=True, unique_fields=["training_class"],
                                   update_fields=["members", "completed", "average_score", "computed_at"])
    return len(rows)


def stats_refresh(*, today: dt.date | None = None) -> list[dt.date]:
    """Today's rollups, plus every other day that received ledger entries since the last run, and the
    class figures. Returns the days recomputed."""
    today = today or timezone.localdate()
    job, _ = JobRun.objects.get_or_create(name=REFRESH_JOB)
    tz = timezone.get_current_timezone()
    if not job.cursor:
        # The first run after installing (or after the job row was deleted) starts from now: rolling up
        # a whole history is `manage.py stats_rebuild --days N`, not a 3-minute task's job.
        highest = LedgerEntry.objects.aggregate(top=Max("id"))["top"] or 0
        days = {today}
    else:
        recent = LedgerEntry.objects.filter(id__gt=max(0, job.cursor - SAFETY_IDS))
        highest = recent.aggregate(top=Max("id"))["top"] or job.cursor
        # Every day touched by a recent entry, including the safety window below the cursor: an entry
        # whose transaction committed after the last run read the cursor still gets its day recomputed.
        days = {today} | set(recent.annotate(day=TruncDate("occurred_at", tzinfo=tz))
                             .order_by().values_list("day", flat=True).distinct())
    for day in sorted(days):
        stats_rebuild_day(day)
    class_stats_rebuild()
    JobRun.objects.filter(pk=job.pk, cursor__lt=highest).update(cursor=highest)
    return sorted(days)
