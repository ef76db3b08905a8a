"""API v1 endpoints of the learning app: thin — parse, call a service or selector, shape the JSON."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from cms.models import CoursePage
from core.api import ERRORS
from learning import rules, selectors, services
from learning.plausibility import percent
from learning.services.progress import media_seconds, required_seconds, trackable_page
from learning.summary import summary_figures

router = Router(tags=["学习"])


class DailyOut(Schema):
    id: int
    title: str
    date: dt.date
    quote: str
    quote_source: str
    url: str
    video_url: str | None
    duration_seconds: float
    done: bool
    published_today: bool


class SummaryOut(Schema):
    name: str
    organization: str | None
    year: int
    credit_hours: Decimal
    points: int
    streak: int | None = Field(None, description="连续学习（工作日）；部署关闭该统计时为 null")
    today_done: bool
    enrollments: int
    courses_completed: int


class EnrollmentOut(Schema):
    course_id: int
    title: str
    track: str | None
    source: str
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    lessons: int
    lessons_done: int
    percent: int


class HeartbeatIn(Schema):
    session: str = Field(min_length=8, max_length=40, description="播放器实例编号（每次打开页面随机生成）")
    seq: int = Field(ge=1, le=1_000_000, description="本实例内递增的序号")
    position: float = Field(ge=0, le=86_400, description="当前播放位置（秒）")
    watched: float = Field(ge=0, le=rules.DEFAULTS["heartbeat_max_watched_seconds"], description="距上次心跳实际观看的秒数")


class ProgressOut(Schema):
    position: float
    effective_seconds: float
    required_seconds: float
    percent: int
    completed: bool
    just_completed: bool = False
    credited_seconds: float = 0


class LedgerOut(Schema):
    kind: str
    kind_label: str
    title: str
    credit_hours: Decimal
    points: int
    occurred_at: dt.datetime




@router.get("/daily/today", response={200: DailyOut, **ERRORS}, summary="今日（或最近一期）每日一课")
def daily_today(request):
    state = selectors.todays_lesson(request.user)
    lesson = state["lesson"]
    if lesson is None:
        raise HttpError(404, _("还没有发布任何每日一课。"))
    return {
        "id": lesson.pk, "title": lesson.title, "date": lesson.lesson_date, "quote": lesson.quote,
        "quote_source": lesson.quote_source, "url": lesson.url,
        "video_url": lesson.video.file.url if lesson.video else None,
        "duration_seconds": media_seconds(lesson), "done": state["done"],
        "published_today": lesson.lesson_date == timezone.localdate(),
    }


@router.get("/me/summary", response={200: SummaryOut, **ERRORS}, summary="我的学习概况")
def me_summary(request):
    user = request.user
    profile = selectors.profile_of(user)
    totals = selectors.year_totals(user)
    enrollments = selectors.enrollments_overview(user)
    return {
        "name": profile.real_name if profile else (user.get_full_name() or user.username),
        "organization": profile.organization.name if profile else None,
        "year": totals["year"], "credit_hours": totals["credit_hours"], "points": totals["points"],
        "streak": summary_figures(user, streak=0)["streak"], "today_done": selectors.todays_lesson(user)["done"],
        "enrollments": len(enrollments),
        "courses_completed": sum(1 for row in enrollments if row["enrollment"].completed_at),
    }


@router.get("/me/enrollments", response={200: list[EnrollmentOut], **ERRORS}, summary="我的课程")
@paginate(PageNumberPagination, page_size=20)
def me_enrollments(request):
    return [
        {
            "course_id": row["course"].pk, "title": row["course"].title,
            "track": row["course"].track.name if row["course"].track else None,
            "source": row["enrollment"].source, "enrolled_at": row["enrollment"].enrolled_at,
            "completed_at": row["enrollment"].completed_at, "lessons": row["lessons"],
            "lessons_done": row["lessons_done"], "percent": row["percent"],
        }
        for row in selectors.enrollments_overview(request.user)
    ]


@router.get("/me/ledger", response={200: list[LedgerOut], **ERRORS}, summary="我的学习台账")
@paginate(PageNumberPagination, page_size=20)
def me_ledger(request):
    return [
        {"kind": e.kind, "kind_label": e.get_kind_display(), "title": e.title, "credit_hours": e.credit_hours,
         "points": e.points, "occurred_at": e.occurred_at}
        for e in selectors.ledger_for(request.user)
    ]


@router.post("/courses/{course_id}/enroll", response={201: EnrollmentOut, **ERRORS}, summary="报名（自主选课）")
def course_enroll(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    enrollment = services.enrollment_create(user=request.user, course=course)
    row = next(r for r in selectors.enrollments_overview(request.user) if r["enrollment"].pk == enrollment.pk)
    return Status(201, {
        "course_id": course.pk, "title": course.title, "track": course.track.name if course.track else None,
        "source": enrollment.source, "enrolled_at": enrollment.enrolled_at, "completed_at": enrollment.completed_at,
        "lessons": row["lessons"], "lessons_done": row["lessons_done"], "percent": row["percent"],
    })


@router.delete("/courses/{course_id}/enroll", response={204: None, **ERRORS}, summary="退出自主选课的课程")
def course_leave(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    services.enrollment_leave(user=request.user, course=course)
    return Status(204, None)


@router.post("/lessons/{lesson_id}/heartbeat", response={200: ProgressOut, **ERRORS}, summary="上报学习心跳")
def lesson_heartbeat(request, lesson_id: int, beat: HeartbeatIn):
    """播放器每 30 秒、以及暂停、结束、页面隐藏时各上报一次。服务器只计入可信的时长：
    不超过距上次心跳的实际时间（加少量容差），不超过视频时长；重放的心跳被拒绝。"""
    if is_ratelimited(request, group="heartbeat", key="user", rate=rules.rule("heartbeat_rate"), increment=True):
        raise HttpError(429, _("上报过于频繁，请稍后再试。"))
    return services.progress_record(
        user=request.user, page_id=lesson_id, session=beat.session, seq=beat.seq,
        position=beat.position, watched=beat.watched,
    )


@router.get("/lessons/{lesson_id}/progress", response={200: ProgressOut, **ERRORS}, summary="我在该课时的进度")
def lesson_progress(request, lesson_id: int):
    page = trackable_page(user=request.user, page_id=lesson_id)
    progress = selectors.lesson_progress(request.user, page.pk)
    needed = required_seconds(page)
    effective = progress.effective_seconds if progress else 0.0
    return {
        "position": progress.position_seconds if progress else 0.0,
        "effective_seconds": round(effective, 1), "required_seconds": needed,
        "percent": percent(effective, needed),
        "completed": bool(progress and progress.completed_at),
    }
