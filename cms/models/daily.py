"""The 八点半课堂: one daily lesson (金句 + short video) per workday, and its index with /today/."""

import calendar
import datetime as dt

from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from cms.forms import DailyLessonPageForm
from cms.search import segmented

PUBLISH_TIME = dt.time(8, 30)  # Beijing time, on every workday


def publish_moment(day: dt.date) -> dt.datetime:
    """When the lesson for `day` goes live unless scheduled otherwise: 08:30 Beijing time that day."""
    return dt.datetime.combine(day, PUBLISH_TIME, tzinfo=timezone.get_default_timezone())


class DailyLessonIndexPage(RoutablePageMixin, Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.DailyLessonPage"]
    max_count = 1

    class Meta:
        verbose_name = "八点半课堂"

    @path("")
    def archive(self, request):
        from cms import selectors

        today = timezone.localdate()
        month_param = request.GET.get("month", "")
        error = ""
        year, month = today.year, today.month
        if month_param:
            try:
                parsed = dt.datetime.strptime(month_param, "%Y-%m")  # noqa: DTZ007 - a calendar month, no time
                year, month = parsed.year, parsed.month
            except ValueError:
                error = _("“%(value)s”不是有效的月份，请使用“年-月”格式，例如 2026-11。") % {"value": month_param[:20]}
        lessons = selectors.daily_lessons_in_month(self, year, month)
        by_date = {lesson.lesson_date: lesson for lesson in lessons}
        weeks = [
            [(day, by_date.get(day)) if day.month == month else (None, None) for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        first = dt.date(year, month, 1)
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        context = self.get_context(request)
        context.update(
            {
                "error": error,
                "month": first,
                "weeks": weeks,
                "lessons": lessons,
                "prev_month": prev_month,
                "next_month": next_month if next_month <= today.replace(day=1) else None,
            }
        )
        return TemplateResponse(request, "cms/daily_lesson_index_page.html", context, status=400 if error else 200)

    @path("today/")
    def today(self, request):
        """Served by `cms.views.daily_today` ahead of Wagtail's routing; kept for `reverse_subpage`."""
        from cms.views import daily_today

        return daily_today(request)


class DailyLessonPage(Page):
    lesson_date = models.DateField("课程日期", unique=True, help_text="每个工作日一课；上线时间默认当天 08:30")
    quote = models.CharField("金句", max_length=200)
    quote_source = models.CharField("金句出处", max_length=100, blank=True)
    video = models.ForeignKey(
        "wagtailmedia.Media", verbose_name="精品视频", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("导读", blank=True, max_length=1000)

    content_panels = Page.content_panels + [
        FieldPanel("lesson_date"),
        MultiFieldPanel([FieldPanel("quote"), FieldPanel("quote_source")], heading="金句"),
        FieldPanel("video"),
        FieldPanel("note"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("quote"),
        index.SearchField("note"),
        index.SearchField("search_segmented"),
        index.FilterField("lesson_date"),
    ]
    parent_page_types = ["cms.DailyLessonIndexPage"]
    subpage_types: list[str] = []
    base_form_class = DailyLessonPageForm

    class Meta:
        verbose_name = "每日一课"
        verbose_name_plural = "每日一课"
        ordering = ["-lesson_date"]

    def search_segmented(self):
        return segmented(self.title, self.quote, self.quote_source, self.note)

    def excerpt_text(self):
        return f"{self.quote} {self.note}"

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["from_today"] = request.GET.get("from", "") if request.GET.get("from") in ("early", "rest") else ""
        context["neighbours"] = selectors.daily_neighbours(self)
        return context
