"""Reads for a trainee's own learning. Every function costs a fixed number of queries."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from wagtail.models import APIToken

from cms import selectors as cms_selectors
from cms.models import LessonPage
from core.api import local_days, year_days
from learning import rules
from learning.membership import classes_of
from learning.models import Enrollment, JournalEntry, LedgerEntry, LessonProgress, TrainingClass
from orgs.api import TraineeProfile, in_scope, is_trainer_or_reviewer


def year_totals(user, year: int | None = None) -> dict:
    """学时, 积分 (each day's up to the daily cap: rules.day_points) and activities in `year`; one query.
    `points_over_cap` is what the ledger credited beyond the caps, for the pages that explain it."""
    year = year or timezone.localdate().year
    start, end = local_days(*year_days(year))
    days = list(LedgerEntry.objects.filter(user=user, occurred_at__gte=start, occurred_at__lt=end)
                .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
                .order_by().values("day").annotate(hours=Sum("credit_hours"), points=Sum("points"), n=Count("id")))
    points = sum(rules.day_points(day["points"]) for day in days)
    return {
        "year": year,
        "credit_hours": sum((day["hours"] or Decimal("0") for day in days), Decimal("0")),
        "points": points,
        "points_over_cap": sum(day["points"] or 0 for day in days) - points,
        "daily_points_cap": rules.rule("daily_points_cap"),
        "activities": sum(day["n"] for day in days),
    }


def todays_lesson(user) -> dict:
    lesson = cms_selectors.current_daily_lesson()
    done = bool(lesson) and user.is_authenticated and LessonProgress.objects.filter(
        user=user, page_id=lesson.pk, completed_at__isnull=False
    ).exists()
    return {"lesson": lesson, "done": done}


def _lesson_ids_by_course(course_paths: dict[int, str]) -> dict[int, list[int]]:
    """Live lesson ids per course, in one query (all courses sit at the same depth of the tree)."""
    if not course_paths:
        return {}
    length = len(next(iter(course_paths.values())))
    by_path = {path: cid for cid, path in course_paths.items()}
    rows = (
        LessonPage.objects.live()
        .annotate(parent_path=Substr("path", 1, length))
        .filter(parent_path__in=list(by_path), depth=length // LessonPage.steplen + 1)
        .values_list("pk", "parent_path")
    )
    result: dict[int, list[int]] = {cid: [] for cid in course_paths}
    for pk, parent_path in rows:
        result[by_path[parent_path]].append(pk)
    return result


def enrollments_overview(user) -> list[dict]:
    enrollments = list(
        Enrollment.objects.filter(user=user).select_related("course", "course__track").order_by("-enrolled_at")
    )
    lessons = _lesson_ids_by_course({e.course_id: e.course.path for e in enrollments})
    completed = set(
        LessonProgress.objects.filter(user=user, completed_at__isnull=False).values_list("page_id", flat=True)
    )
    overview = []
    for enrollment in enrollments:
        ids = lessons.get(enrollment.course_id, [])
        done = sum(1 for pk in ids if pk in completed)
        overview.append({
            "enrollment": enrollment,
            "course": enrollment.course,
            "lessons": len(ids),
            "lessons_done": done,
            "percent": int(done * 100 / len(ids)) if ids else 0,
        })
    return overview


def classes_overview(user, enrollments: list[dict]) -> list[dict]:
    by_course = {row["course"].pk: row for row in enrollments}
    classes = TrainingClass.objects.filter(pk__in=[c.pk for c in classes_of(user.pk)]).prefetch_related("courses")
    result = []
    for training_class in classes.order_by("ends_on"):
        rows = [by_course.get(course.pk) for course in training_class.courses.all()]
        total = sum(row["lessons"] for row in rows if row)
        done = sum(row["lessons_done"] for row in rows if row)
        result.append({
            "training_class": training_class,
            "deadline": training_class.ends_on,
            "days_left": (training_class.ends_on - timezone.localdate()).days,
            "percent": int(done * 100 / total) if total else 0,
            "courses": len(rows),
        })
    return result


def next_class_deadline(user) -> TrainingClass | None:
    """The trainee's class that ends soonest from today on (its 结业日期 is the next deadline)."""
    today = timezone.localdate()
    return min((c for c in classes_of(user.pk) if c.ends_on and c.ends_on >= today), key=lambda c: c.ends_on, default=None)


def continue_learning(user) -> LessonProgress | None:
    return (
        LessonProgress.objects.filter(user=user, completed_at__isnull=True, page__live=True)
        .select_related("page")
        .order_by("-updated_at")
        .first()
    )


def recent_activity(user, limit: int = 8) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(user=user)[:limit])


def ledger_for(user):
    return LedgerEntry.objects.filter(user=user)


def ledger_in_year(user, year: int):
    """The ledger of one calendar year (Asia/Shanghai), newest first; a lazy queryset to paginate."""
    start, end = local_days(*year_days(year))
    return LedgerEntry.objects.filter(user=user, occurred_at__gte=start, occurred_at__lt=end)


def ledger_years(user) -> list[int]:
    """Years in which `user` has ledger entries, newest first (one query)."""
    tz = timezone.get_current_timezone()
    return sorted(
        {d.year for d in LedgerEntry.objects.filter(user=user).datetimes("occurred_at", "year", tzinfo=tz)},
        reverse=True,
    )


def format_position(seconds: float) -> str:
    """A player position as mm:ss (minutes keep counting past the hour: 75:03)."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{secs:02d}"


def resume_point(user) -> dict | None:
    """Where to continue: the latest unfinished lesson, its title, link target and position."""
    progress = continue_learning(user)
    if progress is None:
        return None
    return {"progress": progress, "page": progress.page, "position": format_position(progress.position_seconds)}


def lesson_progress(user, page_id: int) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, page_id=page_id).first()


def completed_lesson_ids(user, page_ids) -> set[int]:
    """Which of these lessons the trainee has finished (学完), in one query whatever their number."""
    if not user.is_authenticated:
        return set()
    return set(LessonProgress.objects.filter(user=user, page_id__in=list(page_ids), completed_at__isnull=False)
               .values_list("page_id", flat=True))


def profile_of(user) -> TraineeProfile | None:
    return TraineeProfile.objects.filter(user=user).select_related("organization").first()


def api_tokens_of(user) -> list[APIToken]:
    """The user's personal API tokens, newest first (the plaintext is never stored)."""
    return list(APIToken.objects.filter(user=user).order_by("-created", "-pk"))


def journal_entries_of(user):
    """The user's own journal entries with their review and page, newest first (for pagination)."""
    return JournalEntry.objects.filter(user=user).select_related("review", "page").order_by("-created_at", "-pk")


def journal_entries_on(user, page_id: int, limit: int = 3) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(user=user, page_id=page_id).select_related("review")
                .order_by("-created_at", "-pk")[:limit])


def journal_entries_in_scope(user):
    """Journal entries `user` may read and review: all for trainers, their subtree's authors for administrators."""
    if is_trainer_or_reviewer(user):
        return JournalEntry.objects.all()
    return JournalEntry.objects.filter(in_scope(user, "user__profile__organization__path"))
