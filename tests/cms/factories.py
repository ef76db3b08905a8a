"""Small builders for content the demo college does not have (fixed dates, large counts)."""

import datetime as dt

from django.utils import timezone
from wagtailmedia.models import get_media_model

from cms.models import DailyLessonIndexPage, DailyLessonPage
from cms.models.daily import PUBLISH_TIME


def daily_lesson(day: dt.date, *, schedule: bool = False, title: str | None = None) -> DailyLessonPage:
    """A daily lesson for `day`, published now, or scheduled for 08:30 that day when `schedule`.

    The demo college holds lessons around the day the suite runs (whatever the clock says): one it
    already has for `day` gives way (with its quiz and progress), so a test gets exactly this lesson."""
    index = DailyLessonIndexPage.objects.get()
    DailyLessonPage.objects.filter(lesson_date=day).delete()
    page = DailyLessonPage(
        title=title or f"{day:%m月%d日}一课", slug=f"{day:%Y-%m-%d}", lesson_date=day,
        quote="把服务做到群众心坎上", quote_source="八点半课堂·编辑部", live=not schedule,
        video=get_media_model().objects.order_by("id").first(),
    )
    index.add_child(instance=page)
    if schedule:
        page.go_live_at = timezone.make_aware(dt.datetime.combine(day, PUBLISH_TIME))
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page
