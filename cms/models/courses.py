"""Courses (课程) and their lessons (课时)."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.forms import CollegePageForm
from cms.search import segmented

CREDIT_HELP = "以 0.25 学时为单位"
COVER_HELP = "横图，建议 1200×675（16:9）；列表和课程页按手机屏幕自动缩放。不选则显示默认图案"


def stream_text(stream) -> str:
    """Plain text of a StreamField, for search and excerpts."""
    parts = []
    for block in stream or []:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(value)
    return " ".join(parts)


class CourseIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "课程中心"

    def get_context(self, request, *args, **kwargs):
        from cms.models.snippets import Track
        from cms.selectors import with_cover

        context = super().get_context(request, *args, **kwargs)
        courses = (
            with_cover(CoursePage.objects.live().child_of(self)).select_related("track").order_by("-first_published_at")
        )
        track = request.GET.get("track", "")
        if track:
            courses = courses.filter(track__slug=track)
        context["tracks"] = Track.objects.all()
        context["active_track"] = track
        context["page_obj"] = Paginator(courses, 12).get_page(request.GET.get("page"))
        return context


class CoursePage(Page):
    track = models.ForeignKey(
        "cms.Track", verbose_name="课程体系", null=True, on_delete=models.SET_NULL, related_name="courses"
    )
    trainers = ParentalManyToManyField("cms.Trainer", verbose_name="培训导师", blank=True, related_name="courses")
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name="封面图", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=COVER_HELP,
    )
    summary = models.TextField("课程简介", max_length=500)
    self_enroll_open = models.BooleanField("开放自主选课", default=True, help_text="关闭后只能通过培训班指派学习")
    credit_hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))], help_text=CREDIT_HELP,
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("track"), FieldPanel("trainers"), FieldPanel("credit_hours"), FieldPanel("self_enroll_open")],
            heading="课程信息",),
        FieldPanel("cover"),
        FieldPanel("summary"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_segmented"),
        index.FilterField("track"),
    ]
    parent_page_types = ["cms.CourseIndexPage"]
    subpage_types = ["cms.LessonPage"]
    base_form_class = CollegePageForm

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"

    def search_segmented(self):
        return segmented(self.title, self.summary)

    def excerpt_text(self):
        return self.summary

    def lessons(self):
        return LessonPage.objects.live().child_of(self).select_related("video")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = list(self.lessons())
        context["trainer_list"] = list(self.trainers.all())
        return context


class LessonPage(Page):
    video = models.ForeignKey(
        "wagtailmedia.Media", verbose_name="视频", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BaseStreamBlock(), verbose_name="正文", blank=True)
    duration_seconds = models.PositiveIntegerField("时长（秒）", default=0, help_text="视频时长；纯图文课时填 0")
    min_reading_seconds = models.PositiveIntegerField("最短阅读时间（秒）", default=60)
    transcript = models.TextField("文字稿", blank=True)
    credit_hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=2, default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0"))], help_text=CREDIT_HELP,
    )

    content_panels = Page.content_panels + [
        FieldPanel("video"),
        MultiFieldPanel(
            [FieldPanel("duration_seconds"), FieldPanel("min_reading_seconds"), FieldPanel("credit_hours")],
            heading="学习要求",
        ),
        FieldPanel("body"),
        FieldPanel("transcript"),
        InlinePanel("attachments", label="附件"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("transcript"),
        index.SearchField("search_segmented"),
    ]
    parent_page_types = ["cms.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = CollegePageForm

    class Meta:
        verbose_name = "课时"
        verbose_name_plural = "课时"

    def search_segmented(self):
        return segmented(self.title, stream_text(self.body), self.transcript)

    def excerpt_text(self):
        return f"{stream_text(self.body)} {self.transcript}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        context["attachment_list"] = list(self.attachments.select_related("document"))
        return context


class LessonAttachment(Orderable):
    lesson = ParentalKey(LessonPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("显示名称", max_length=100, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
