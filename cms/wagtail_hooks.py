"""Tracks and trainers are edited as snippets; the 八点半课堂 listing shows each lesson's date."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import DailyLessonPage, Track, Trainer

WEEKDAYS = "一二三四五六日"


class TrackViewSet(SnippetViewSet):
    model = Track
    icon = "list-ul"
    list_display = ["name", "slug", "sort_order"]


class TrainerViewSet(SnippetViewSet):
    model = Trainer
    icon = "user"
    list_display = ["name", "title"]


class TeachingGroup(SnippetViewSetGroup):
    items = (TrackViewSet, TrainerViewSet)
    menu_label = "教学资源"
    menu_icon = "folder-open-inverse"


register_snippet(TeachingGroup)


def _lesson_day(page: DailyLessonPage) -> str:
    day = page.lesson_date
    return f"{day:%Y-%m-%d}（周{WEEKDAYS[day.weekday()]}）" if day else ""


class DailyLessonPageViewSet(PageViewSet):
    """Wagtail uses this viewset's listing when exploring the 八点半课堂 (whose only children are daily
    lessons): a 课程日期 column, sortable, newest first by default."""

    model = DailyLessonPage
    icon = "date"
    ordering = "-lesson_date"
    columns = [
        *PageViewSet.columns[:2],  # bulk actions, title
        Column("lesson_date", label=gettext_lazy("课程日期"), accessor=_lesson_day, sort_key="lesson_date",
               width="16%"),
        *PageViewSet.columns[2:],
    ]


@hooks.register("register_admin_viewset")
def register_daily_lesson_page_viewset():
    return DailyLessonPageViewSet()
