"""Reads of published content. Each function costs a fixed number of queries, whatever the data size."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from cms import search as segmenter
from cms.models import CasePage, CoursePage, DailyLessonPage, Track
from cms.models.daily import PUBLISH_TIME


def _daily_qs():
    return DailyLessonPage.objects.live().select_related("video")


def daily_lesson_for(date: dt.date) -> DailyLessonPage | None:
    return _daily_qs().filter(lesson_date=date).first()


def latest_daily_lesson(*, before: dt.date) -> DailyLessonPage | None:
    return _daily_qs().filter(lesson_date__lt=before).order_by("-lesson_date").first()


def current_daily_lesson() -> DailyLessonPage | None:
    """Today's lesson once it is 08:30, otherwise the latest earlier one."""
    now = timezone.localtime()
    cutoff = now.date() + dt.timedelta(days=1) if now.time() >= PUBLISH_TIME else now.date()
    return latest_daily_lesson(before=cutoff)


def daily_lessons_in_month(index_page: Page, year: int, month: int) -> list[DailyLessonPage]:
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return list(
        DailyLessonPage.objects.live()
        .child_of(index_page)
        .filter(lesson_date__gte=first, lesson_date__lt=following)
        .order_by("lesson_date")
    )


def daily_neighbours(lesson: DailyLessonPage) -> dict:
    qs = DailyLessonPage.objects.live().only("title", "url_path", "lesson_date")
    return {
        "previous": qs.filter(lesson_date__lt=lesson.lesson_date).order_by("-lesson_date").first(),
        "next": qs.filter(lesson_date__gt=lesson.lesson_date, lesson_date__lte=timezone.localdate())
        .order_by("lesson_date")
        .first(),
    }


def featured_case(today: dt.date | None = None) -> CasePage | None:
    today = today or timezone.localdate()
    return (
        CasePage.objects.live()
        .filter(featured_week__lte=today)
        .select_related("track")
        .order_by("-featured_week", "-first_published_at")
        .first()
    )


def latest_courses(limit: int = 6) -> list[CoursePage]:
    return list(
        CoursePage.objects.live()
        .select_related("track", "cover")
        .order_by("-first_published_at")[:limit]
    )


def home_context() -> dict:
    return {
        "daily": current_daily_lesson(),
        "week_case": featured_case(),
        "tracks": list(Track.objects.all()),
        "latest_courses": latest_courses(),
    }


def cases_filtered(library: Page, *, track: str = "", tag: str = "", region: str = ""):
    cases = CasePage.objects.live().child_of(library).select_related("track").order_by("-featured_week", "title")
    if track:
        cases = cases.filter(track__slug=track)
    if tag:
        cases = cases.filter(tags__name=tag)
    if region:
        cases = cases.filter(region__startswith=region)
    return cases.prefetch_related("tags")


def case_filter_options(library: Page) -> dict:
    cases = CasePage.objects.live().child_of(library)
    regions = sorted({r for r in cases.values_list("region", flat=True) if r})
    tags = sorted(set(cases.filter(tags__isnull=False).values_list("tags__name", flat=True)))
    return {"tracks": list(Track.objects.all()), "regions": regions, "tags": tags}


def search_pages(query: str):
    """Live courses, lessons, daily lessons and cases matching every segmented word of `query`.

    Returns (results, words): `results` is a lazy Wagtail search result set (sliceable, countable).
    """
    from cms.models import LessonPage

    words = segmenter.terms(query)
    if not words:
        return Page.objects.none(), words
    pages = Page.objects.live().type(CoursePage, LessonPage, DailyLessonPage, CasePage)
    return pages.search(" ".join(words), operator="and"), words
