"""Heartbeats from the lesson player become plausible progress, completions and ledger credits.

What a beat may claim is decided by `learning.plausibility` (pure rules); this module applies it to
the trainee's locked progress row and credits completions to the ledger.
"""

import datetime as dt
import math

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import CasePage, CoursePage, DailyLessonPage, LessonPage
from core.api import DomainError
from learning import plausibility, rules
from learning.completion import requirements_met
from learning.models import Enrollment, LedgerEntry, LessonProgress, WatchClock
from learning.services.ledger import ledger_record


class HeartbeatRejected(DomainError):
    pass


def required_seconds(page) -> float:
    """Effective seconds needed to complete: 90 % of a video, or a text lesson's minimum reading time."""
    if isinstance(page, CasePage):
        return float(rules.rule("case_min_reading_seconds"))
    video = getattr(page, "video", None)
    duration = (video.duration if video and video.duration else 0) or getattr(page, "duration_seconds", 0)
    if video is not None and duration:
        return math.ceil(duration * rules.rule("video_completion_ratio") * 10) / 10
    return float(getattr(page, "min_reading_seconds", 60) or 60)


def media_seconds(page) -> float:
    if isinstance(page, CasePage):
        return float(rules.rule("case_min_reading_seconds"))
    video = getattr(page, "video", None)
    if video is not None:
        return float(video.duration or getattr(page, "duration_seconds", 0) or 0)
    return float(getattr(page, "min_reading_seconds", 60) or 60)


def _live_trackable(page_id: int):
    """The live daily lesson, lesson or case `page_id`, as its specific class with its video, or None.

    The 08:30 burst beats on the daily lesson, so that is tried first: one query (page, video and
    lesson row joined). Other pages cost one query more to learn their type."""
    daily = DailyLessonPage.objects.live().select_related("video").filter(pk=page_id).first()
    if daily is not None:
        return daily
    content_type_id = Page.objects.live().filter(pk=page_id).values_list("content_type_id", flat=True).first()
    model = ContentType.objects.get_for_id(content_type_id).model_class() if content_type_id else None
    if model is LessonPage:
        return LessonPage.objects.live().select_related("video").filter(pk=page_id).first()
    if model is CasePage:
        return CasePage.objects.live().filter(pk=page_id).first()
    return None


def trackable_page(*, user, page_id: int, enroll: bool = False):
    """The live lesson or daily lesson `user` may record progress on, or a rejection.

    A lesson of an open course is trackable without enrollment; with `enroll` the first heartbeat
    enrolls the trainee in it (自主选课). A closed course needs an enrollment (class or admin)."""
    page = _live_trackable(page_id)
    if page is None:
        raise HeartbeatRejected("not_found", _("课时不存在或尚未发布。"), 404)
    if isinstance(page, CasePage):  # a case is read, for its minimum reading time
        return page
    if isinstance(page, DailyLessonPage):
        if page.lesson_date > timezone.localdate():
            raise HeartbeatRejected("not_found", _("课时不存在或尚未发布。"), 404)
        return page
    course = CoursePage.objects.live().filter(path=page.path[: -page.steplen]).first()  # the parent, if live
    if course is None:
        raise HeartbeatRejected("not_found", _("课时不存在或尚未发布。"), 404)
    if not Enrollment.objects.filter(user=user, course=course).exists():
        if not course.self_enroll_open:
            raise HeartbeatRejected("not_enrolled", _("你没有报名这门课程，无法记录学习进度。"), 403)
        if enroll:
            Enrollment.objects.get_or_create(
                user=user, course=course, defaults={"source": Enrollment.Source.SELF}
            )
    page.course = course
    return page


def _credit_completion(*, user, page, now: dt.datetime) -> None:
    """Ledger entries for a just-completed lesson or daily lesson, and for its course when that is done."""
    if isinstance(page, DailyLessonPage):
        hours, points = rules.daily_credit()
        ledger_record(user_id=user.pk, kind=LedgerEntry.Kind.DAILY, object_id=page.pk, title=page.title,
                      credit_hours=hours, points=points, occurred_at=now)
        return
    if isinstance(page, CasePage):
        hours, points = rules.case_credit()
        ledger_record(user_id=user.pk, kind=LedgerEntry.Kind.CASE, object_id=page.pk, title=page.title,
                      credit_hours=hours, points=points, occurred_at=now)
        return
    hours, points = rules.lesson_credit(page.credit_hours)
    ledger_record(user_id=user.pk, kind=LedgerEntry.Kind.LESSON, object_id=page.pk, title=page.title,
                  credit_hours=hours, points=points, occurred_at=now)
    _course_completion(user=user, course=page.course, now=now)


def _course_completion(*, user, course: CoursePage, now: dt.datetime) -> None:
    lesson_ids = list(LessonPage.objects.live().child_of(course).values_list("pk", flat=True))
    done = LessonProgress.objects.filter(user=user, page_id__in=lesson_ids, completed_at__isnull=False).count()
    if done == len(lesson_ids) and requirements_met(user, course):
        hours, points = rules.course_credit()
        ledger_record(user_id=user.pk, kind=LedgerEntry.Kind.COURSE, object_id=course.pk, title=course.title,
                      credit_hours=hours, points=points, occurred_at=now)
        Enrollment.objects.filter(user=user, course=course, completed_at__isnull=True).update(completed_at=now)
        # 结业证书 follow once this commits (the certificates app listens to the ledger).


# What a beat writes: one UPDATE of these columns, nothing else (a steady beat costs the session, the
# user, the page with its video, the locked progress row and this UPDATE — see `make bench`).
BEAT_FIELDS = ["effective_seconds", "position_seconds", "last_session", "last_beat_seq", "last_beat_at",
               "completed_at", "updated_at"]


def _against_the_watch_clock(*, user, claimed: float, now: dt.datetime) -> float:
    """What of `claimed` the trainee's wall clock still allows (all lessons together); advances it. The
    trainee's very first beat (a player's opening beat claims 0) starts the clock."""
    clock = _locked_row(WatchClock, user_id=user.pk)
    before = clock.credited_until
    credited, clock.credited_until = plausibility.watch_clock(
        claimed=claimed, now=now, credited_until=before, slack=rules.rule("heartbeat_slack_seconds"))
    if clock.credited_until != before:
        clock.save(update_fields=["credited_until"])
    return credited


def _locked_row(model, **key):
    """The row of `model` with `key`, locked for this transaction; created (and so locked) if missing."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():  # a savepoint: another tab's first beat may insert it at the same time
            return model.objects.create(**key)  # locked: we inserted it
    except IntegrityError:
        return model.objects.select_for_update().get(**key)


def _locked_progress(*, user, page_id: int) -> LessonProgress:
    """The (user, page) progress row, locked for this transaction; created by the first beat."""
    return _locked_row(LessonProgress, user=user, page_id=page_id)


@transaction.atomic
def progress_record(
    *, user, page_id: int, session: str, seq: int, position: float, watched: float, now: dt.datetime | None = None
) -> dict:
    """Apply one heartbeat. Raises HeartbeatRejected (and changes nothing) for an implausible one."""
    now = now or timezone.now()
    page = trackable_page(user=user, page_id=page_id, enroll=True)
    progress = _locked_progress(user=user, page_id=page.pk)

    refusal = plausibility.beat_refusal(
        session=session, seq=seq, watched=watched, now=now, last_session=progress.last_session,
        last_seq=progress.last_beat_seq, last_beat_at=progress.last_beat_at,
        slack=rules.rule("heartbeat_slack_seconds"),
    )
    if refusal == "replayed_beat":
        raise HeartbeatRejected("replayed_beat", _("重复或过期的学习记录，已忽略。"), 409)
    if refusal == "implausible_beat":
        raise HeartbeatRejected(
            "implausible_beat", _("上报的观看时长超过了实际经过的时间，本次不计入学习时长。"), 422
        )

    total = media_seconds(page)
    credited = plausibility.credited_seconds(watched=watched, total=total, effective=progress.effective_seconds)
    credited = _against_the_watch_clock(user=user, claimed=credited, now=now)
    progress.effective_seconds = min(total, progress.effective_seconds + credited)
    progress.position_seconds = plausibility.clamped_position(position, total)
    progress.last_session, progress.last_beat_seq, progress.last_beat_at = session, seq, now
    needed = required_seconds(page)
    just_completed = (
        progress.completed_at is None and progress.effective_seconds >= needed and requirements_met(user, page)
    )
    if just_completed:
        progress.completed_at = now
    progress.save(update_fields=BEAT_FIELDS)
    if just_completed:
        _credit_completion(user=user, page=page, now=now)
    return {
        "position": progress.position_seconds,
        "effective_seconds": round(progress.effective_seconds, 1),
        "required_seconds": needed,
        "percent": plausibility.percent(progress.effective_seconds, needed),
        "completed": progress.completed_at is not None,
        "just_completed": just_completed,
        "credited_seconds": round(credited, 1),
    }


def _page_model(page_id: int, page=None):
    """The specific class of page `page_id`, from `page` (generic or specific) when the caller has it."""
    if page is not None and page.pk == page_id:
        content_type_id = page.content_type_id
    else:
        content_type_id = Page.objects.filter(pk=page_id).values_list("content_type_id", flat=True).first()
    if content_type_id is None:
        return None
    return ContentType.objects.get_for_id(content_type_id).model_class() or Page


def _completable_page(model, page_id: int):
    """Page `page_id` as its specific `model`, with its video (for `required_seconds`), in one query."""
    pages = model.objects.filter(pk=page_id)
    if any(field.name == "video" for field in model._meta.concrete_fields):
        pages = pages.select_related("video")
    return pages.first()


@transaction.atomic(savepoint=False)  # inside a quiz submission: part of its transaction, no savepoint of its own
def completion_recheck(*, user, page_id: int, page=None, now: dt.datetime | None = None) -> bool:
    """Complete `page_id` for `user` if everything it needs is now done (e.g. its quiz just passed).

    `page` is that page if the caller has it already (generic or specific; it is not read again to learn
    its type). Idempotent: completing twice credits nothing twice. Returns whether the page is complete.
    A lesson without progress, or already complete, costs one query: its locked progress row."""
    now = now or timezone.now()
    model = _page_model(page_id, page)
    if model is None:
        return False
    if issubclass(model, CoursePage):
        course = page if isinstance(page, CoursePage) else CoursePage.objects.get(pk=page_id)
        _course_completion(user=user, course=course, now=now)
        return Enrollment.objects.filter(user=user, course=course, completed_at__isnull=False).exists()
    progress = LessonProgress.objects.select_for_update().filter(user=user, page_id=page_id).first()
    if progress is None:
        return False
    if progress.completed_at is not None:
        return True
    page = _completable_page(model, page_id)
    if page is not None and progress.effective_seconds >= required_seconds(page) and requirements_met(user, page):
        progress.completed_at = now
        progress.save(update_fields=["completed_at", "updated_at"])
        if isinstance(page, LessonPage):
            page.course = CoursePage.objects.get(path=page.path[: -page.steplen])  # its parent, in one query
        _credit_completion(user=user, page=page, now=now)
    return progress.completed_at is not None
