"""Reads of published content. Each function costs a fixed number of queries, whatever the data size."""

import datetime as dt

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from cms import covers
from cms import search as segmenter
from cms.models import CasePage, CoursePage, DailyLessonPage, TeachingBasePage, Track
from cms.models.daily import PUBLISH_TIME
from core.api import calendar as workdays


def _daily_qs():
    return DailyLessonPage.objects.live().select_related("video")


def daily_lesson_for(date: dt.date) -> DailyLessonPage | None:
    return _daily_qs().filter(lesson_date=date).first()


def expected_daily_lesson(day: dt.date) -> DailyLessonPage | None:
    """The daily lesson trainees are expected to study on `day`: its live lesson on a workday; None on a
    day off (weekend, holiday — by the workday calendar, even if a lesson was published) or without one.
    The one rule behind the 16:00 reminder, 今日未学 and the 08:30 notice."""
    return daily_lesson_for(day) if workdays.is_workday(day) else None


def daily_lesson_pending(day: dt.date) -> tuple[DailyLessonPage | None, dt.datetime | None]:
    """(the lesson for `day` that is not live yet, when it is scheduled to go live — None when nobody
    scheduled it); (None, None) when `day` has no such lesson. For saying why a day has no lesson out."""
    page = DailyLessonPage.objects.filter(lesson_date=day, live=False).first()
    if page is None:
        return None, None
    revision = page.scheduled_revision
    return page, revision.approved_go_live_at if revision else None


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


LESSON_CACHE_SECONDS = 30


def live_daily_lesson_at(url_path: str) -> DailyLessonPage | None:
    """The live daily lesson at Wagtail `url_path`, with its video: one query, then the cache for 30 s
    (at 08:30 every trainee asks for the same page; an edit or unpublish shows within 30 s)."""
    key = f"daily:lesson:{url_path}"
    try:
        lesson = cache.get(key)
    except Exception:  # noqa: BLE001 - e.g. a pickle from before a deploy: a miss, never an error page
        lesson = None
    if lesson is None:
        lesson = DailyLessonPage.objects.live().select_related("video").filter(url_path=url_path).first()
        if lesson is not None:
            cache.set(key, lesson, LESSON_CACHE_SECONDS)
    return lesson


TODAY_CACHE_SECONDS = 30


def today_target(now: dt.datetime) -> str | None:
    """Where `/daily/today/` sends a trainee at `now`: today's lesson once it is out (08:30), else the
    latest one with `?from=early` (before 08:30) or `?from=rest` (a day without a lesson); None when no
    lesson was ever published. At 08:30 every trainee asks this at once: answered from the cache for
    30 s, separately before and after 08:30 so the switch is not delayed by the cache."""
    out = now.time() >= PUBLISH_TIME
    key = f"daily:today:{now.date():%Y%m%d}:{'out' if out else 'early'}"
    target = cache.get(key)
    if target is None:
        lesson = daily_lesson_for(now.date())
        if lesson is not None and out:
            target = lesson.url
        else:
            latest = latest_daily_lesson(before=now.date())
            if latest is None:
                return None
            target = f"{latest.url}?from={'rest' if out else 'early'}"
        cache.set(key, target, TODAY_CACHE_SECONDS)
    return target


NEIGHBOURS_CACHE_SECONDS = 60  # a lesson published at 08:30 shows as "next" within a minute


def daily_neighbours(lesson: DailyLessonPage) -> dict:
    """The previous and next live lessons as {"url", "lesson_date"} (or None). Every trainee opening the
    same lesson at 08:30 asks the same question: answered from the cache for a minute."""
    today = timezone.localdate()
    key = f"daily:neighbours:{lesson.pk}:{lesson.lesson_date:%Y%m%d}:{today:%Y%m%d}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    qs = DailyLessonPage.objects.live().only("title", "url_path", "lesson_date")
    found = {
        "previous": qs.filter(lesson_date__lt=lesson.lesson_date).order_by("-lesson_date").first(),
        "next": qs.filter(lesson_date__gt=lesson.lesson_date, lesson_date__lte=today).order_by("lesson_date").first(),
    }
    neighbours = {name: {"url": page.url, "lesson_date": page.lesson_date} if page else None
                  for name, page in found.items()}
    cache.set(key, neighbours, NEIGHBOURS_CACHE_SECONDS)
    return neighbours


def with_cover(pages):
    """`pages` (courses or cases) with each cover and the cover renditions the cards use: two queries
    for the whole list, however many cards it holds."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=covers.CARD_FILTER_SPECS)
    return pages.select_related("cover").prefetch_related(
        Prefetch("cover__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def featured_case(today: dt.date | None = None) -> CasePage | None:
    today = today or timezone.localdate()
    return (
        with_cover(CasePage.objects.live())
        .filter(featured_week__lte=today)
        .select_related("track")
        .order_by("-featured_week", "-first_published_at")
        .first()
    )


def latest_courses(limit: int = 6) -> list[CoursePage]:
    return list(with_cover(CoursePage.objects.live()).select_related("track").order_by("-first_published_at")[:limit])


def home_context() -> dict:
    return {
        "daily": current_daily_lesson(),
        "week_case": featured_case(),
        "tracks": list(Track.objects.all()),
        "latest_courses": latest_courses(),
    }


def cases_filtered(library: Page, *, track: str = "", tag: str = "", region: str = ""):
    cases = (
        with_cover(CasePage.objects.live().child_of(library)).select_related("track").order_by("-featured_week", "title")
    )
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


def teaching_bases_filtered(index_page: Page, *, region: str = "", track: str = ""):
    bases = TeachingBasePage.objects.live().child_of(index_page).select_related("track").order_by("region", "title")
    if region:
        bases = bases.filter(region__startswith=region)
    if track:
        bases = bases.filter(track__slug=track)
    return bases


def teaching_base_filter_options(index_page: Page) -> dict:
    bases = TeachingBasePage.objects.live().child_of(index_page)
    regions = sorted({r for r in bases.values_list("region", flat=True) if r})
    return {"tracks": list(Track.objects.filter(teaching_bases__in=bases).distinct()), "regions": regions}


def search_pages(query: str):
    """Live courses, lessons, daily lessons, cases and teaching bases matching every segmented word of `query`.

    Returns (results, words): `results` is a lazy Wagtail search result set (sliceable, countable).
    """
    from cms.models import LessonPage

    pages = Page.objects.live().type(CoursePage, LessonPage, DailyLessonPage, CasePage, TeachingBasePage)
    return segmenter.search_segmented(pages, query)
