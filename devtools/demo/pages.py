"""Demo content: the site tree, tracks, trainers, courses, daily lessons and cases.

Every step looks its object up by a stable key (slug, date, title) first, so a second load adds
nothing that is already there.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site
from wagtailmedia.models import get_media_model

from cms.models import (
    CaseLibraryPage,
    CasePage,
    CourseIndexPage,
    CoursePage,
    DailyLessonIndexPage,
    DailyLessonPage,
    HomePage,
    LessonPage,
    Track,
    Trainer,
)
from cms.models.daily import PUBLISH_TIME, publish_moment
from core.api import calendar as workdays
from devtools.demo import content, covers

ASSETS = Path(__file__).parent / "assets"
VIDEOS = [("lesson-a.mp4", "poster-a.jpg", 6.0), ("lesson-b.mp4", "poster-b.jpg", 8.0)]


def _publish(page: Page, *, go_live_at: dt.datetime | None = None) -> None:
    """Publish now, or schedule the publication when `go_live_at` lies in the future."""
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    if model in (DailyLessonPage,):
        page.live = False
    parent.add_child(instance=page)
    return page, True


def ensure_site() -> dict[str, Page]:
    # Wagtail's migrations create the locale and the tree root; a flushed test database has neither.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")  # the videos (wagtailmedia) and editors' permissions need it
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", live=True)
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="社区干部网络学院", slug="college", intro="每个工作日 08:30，一句金句、一节精品课，与全省社区工作者一起成长。")
        root.add_child(instance=home)
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", port=80, is_default_site=True)
    if site.root_page_id != home.id:
        site.root_page = home
        site.site_name = "社区干部网络学院"
        site.save()
    for stale in Page.objects.child_of(root).exclude(id=home.id).filter(slug="home"):
        stale.delete()  # Wagtail's "Welcome" placeholder page
    pages = {"home": home}
    for key, model, slug, title, intro in [
        ("courses", CourseIndexPage, "courses", "课程中心", "干而论道、金色路线、精神传承、应急演练四大课程体系。"),
        ("daily", DailyLessonIndexPage, "daily", "八点半课堂", "每个工作日 08:30 发布一句金句、一节精品视频课。"),
        ("cases", CaseLibraryPage, "cases", "案例库", "来自基层一线的典型经验做法，每周推荐一个。"),
    ]:
        page, created = _child(home, model, slug, title=title, intro=intro)
        if created:
            _publish(page)
        pages[key] = page
    return pages


def ensure_tracks_and_trainers() -> tuple[dict[str, Track], dict[str, Trainer]]:
    tracks = {}
    for order, item in enumerate(content.TRACKS):
        tracks[item["slug"]], _ = Track.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "description": item["description"], "sort_order": order}
        )
    trainers = {}
    for item in content.TRAINERS:
        trainers[item["key"]], _ = Trainer.objects.get_or_create(
            name=item["name"],
            defaults={
                "title": Trainer.Title.CHIEF if item["is_chief"] else Trainer.Title.TRAINER,
                "bio": item["bio"],
            },
        )
    return tracks, trainers


def ensure_videos() -> list:
    Media = get_media_model()
    videos = []
    for index, (video_name, poster_name, duration) in enumerate(VIDEOS, start=1):
        title = f"示例精品课视频 {index}"
        media = Media.objects.filter(title=title).first()
        if media is None:
            with open(ASSETS / video_name, "rb") as video, open(ASSETS / poster_name, "rb") as poster:
                media = Media(title=title, type="video", duration=duration, width=640, height=360)
                media.file.save(video_name, File(video), save=False)
                media.thumbnail.save(poster_name, File(poster), save=False)
                media.save()
        videos.append(media)
    return videos


def _give_cover(page: Page, item: dict) -> None:
    """A page from an earlier load without a cover gets one, through a published revision (an edit in
    the admin starts from the latest revision and would otherwise drop it)."""
    if page.cover_id is None:
        page.cover = covers.ensure_cover(key=item["slug"], title=item["title"], track=item["track"])
        _publish(page)


def ensure_courses(parent: Page, tracks, trainers, videos) -> int:
    created_count = 0
    for c_index, item in enumerate(content.COURSES):
        course, created = _child(
            parent, CoursePage, item["slug"], title=item["title"], track=tracks[item["track"]],
            summary=item["summary"], credit_hours=Decimal(item["credit_hours"]),
            cover=covers.ensure_cover(key=item["slug"], title=item["title"], track=item["track"]),
        )
        if created:
            course.trainers.set([trainers[key] for key in item["trainers"]])
            _publish(course)
            created_count += 1
        else:
            _give_cover(course, item)
        for l_index, lesson in enumerate(item["lessons"]):
            video = videos[(c_index + l_index) % len(videos)] if lesson["video"] else None
            body = [("paragraph", f"<p>{para}</p>") for para in lesson["body"]]
            page, created = _child(
                course, LessonPage, lesson["slug"], title=lesson["title"], video=video, body=body,
                duration_seconds=int(video.duration) if video else 0, transcript=lesson["transcript"],
                credit_hours=Decimal(lesson["credit_hours"]), min_reading_seconds=lesson["min_reading_seconds"],
            )
            if created:
                _publish(page)
                created_count += 1
    return created_count


def daily_dates(now: dt.datetime) -> tuple[list[dt.date], list[dt.date]]:
    """(the last 15 workdays whose 08:30 has passed, the next 5 workdays still to come)."""
    today = now.date()
    today_due = workdays.is_workday(today) and now.time() >= PUBLISH_TIME
    past = workdays.previous_workdays(today, 15 - int(today_due)) + ([today] if today_due else [])
    upcoming_from = today if not today_due and workdays.is_workday(today) else None
    future = ([upcoming_from] if upcoming_from else []) + workdays.next_workdays(today, 5 - bool(upcoming_from))
    return past, future


def ensure_daily_lessons(parent: Page, videos, now: dt.datetime) -> int:
    past, future = daily_dates(now)
    existing = set(DailyLessonPage.objects.filter(lesson_date__in=past + future).values_list("lesson_date", flat=True))
    created = 0
    for day in past + future:
        if day in existing:
            continue
        # Five items a week in date order: twenty consecutive workdays never repeat a quote.
        slot = (day.toordinal() - 1) // 7 * 5 + min(day.weekday(), 4)
        item = content.DAILY_LESSONS[slot % len(content.DAILY_LESSONS)]
        page, _ = _child(
            parent, DailyLessonPage, f"{day:%Y-%m-%d}", title=item["title"], lesson_date=day, quote=item["quote"],
            quote_source=item["quote_source"], note=item["note"], video=videos[day.toordinal() % len(videos)],
        )
        go_live = publish_moment(day)
        _publish(page, go_live_at=go_live if go_live > now else None)
        created += 1
    return created


def ensure_cases(parent: Page, tracks, now: dt.datetime) -> int:
    monday = now.date() - dt.timedelta(days=now.weekday())
    created = 0
    for index, item in enumerate(content.CASES):
        page, is_new = _child(
            parent, CasePage, item["slug"], title=item["title"], track=tracks[item["track"]], region=item["region"],
            organization_name=item["organization"], background=item["background"], practice=item["practice"],
            outcome=item["outcome"], insight=item["insight"], featured_week=monday - dt.timedelta(weeks=index),
            cover=covers.ensure_cover(key=item["slug"], title=item["title"], track=item["track"]),
        )
        if is_new:
            page.tags.set(item["tags"])
            _publish(page)
            created += 1
        else:
            _give_cover(page, item)
    return created


def load_content(now: dt.datetime) -> dict[str, int]:
    pages = ensure_site()
    tracks, trainers = ensure_tracks_and_trainers()
    videos = ensure_videos()
    return {
        "courses_and_lessons": ensure_courses(pages["courses"], tracks, trainers, videos),
        "daily_lessons": ensure_daily_lessons(pages["daily"], videos, now),
        "cases": ensure_cases(pages["cases"], tracks, now),
    }
