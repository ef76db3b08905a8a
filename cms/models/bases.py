"""现场教学实践基地 (teaching bases): places classes visit for field teaching, and their catalogue.

The sessions held at a base belong to the classroom app, above cms: the base page shows them through a
panel that classroom registers (cms.panels), never by importing it.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from cms.search import segmented

FILTER_MAX_LENGTH = 50


class TeachingBaseIndexPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TeachingBasePage"]
    max_count = 1

    class Meta:
        verbose_name = "现场教学实践基地目录"

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        filters = {k: request.GET.get(k, "")[:FILTER_MAX_LENGTH] for k in ("region", "track")}
        context.update(selectors.teaching_base_filter_options(self))
        context["filters"] = filters
        context["filter_query"] = urlencode({k: v for k, v in filters.items() if v})
        context["page_obj"] = Paginator(selectors.teaching_bases_filtered(self, **filters), 12).get_page(
            request.GET.get("page"))
        return context


class TeachingBasePage(Page):
    region = models.CharField("地区", max_length=60, help_text="例如：吉林省长春市朝阳区")
    address = models.CharField("地址", max_length=200)
    theme = models.CharField("教学主题", max_length=100, help_text="例如：党建引领基层治理")
    track = models.ForeignKey(
        "cms.Track", verbose_name="课程体系", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="teaching_bases",
    )
    summary = models.TextField("简介", max_length=500)
    learning_content = RichTextField("现场教学内容", features=RICH_TEXT_FEATURES, help_text="学员在这里学什么、看什么")
    contact = models.CharField("联系方式", max_length=100, blank=True, help_text="联系人及电话，例如：王主任 0431-8888xxxx")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("region"), FieldPanel("address"), FieldPanel("theme"), FieldPanel("track"),
             FieldPanel("contact")],
            heading="基地信息",
        ),
        FieldPanel("summary"),
        FieldPanel("learning_content"),
        InlinePanel("photos", label="照片"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_segmented"),
        index.FilterField("track"),
        index.FilterField("region"),
    ]
    parent_page_types = ["cms.TeachingBaseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "现场教学实践基地"
        verbose_name_plural = "现场教学实践基地"

    def search_segmented(self):
        return segmented(self.title, self.region, self.address, self.theme, self.summary,
                         strip_tags(self.learning_content))

    def excerpt_text(self):
        return f"{self.theme} {self.summary} {strip_tags(self.learning_content)}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["photo_list"] = list(self.photos.select_related("image"))
        return context


class TeachingBasePhoto(Orderable):
    base = ParentalKey(TeachingBasePage, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey("wagtailimages.Image", verbose_name="照片", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField("说明", max_length=100, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "照片"
        verbose_name_plural = "照片"
