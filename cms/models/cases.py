"""The case library (案例库) of 典型经验做法: one featured case a week."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from cms.forms import CollegePageForm
from cms.search import segmented


class CaseLibraryPage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CasePage"]
    max_count = 1

    class Meta:
        verbose_name = "案例库"

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        filters = {k: request.GET.get(k, "")[:50] for k in ("track", "tag", "region")}
        cases = selectors.cases_filtered(self, **filters)
        context.update(selectors.case_filter_options(self))
        context["filters"] = filters
        context["filter_query"] = urlencode({k: v for k, v in filters.items() if v})
        context["page_obj"] = Paginator(cases, 10).get_page(request.GET.get("page"))
        return context


class CaseTag(TaggedItemBase):
    content_object = ParentalKey("cms.CasePage", related_name="tagged_items", on_delete=models.CASCADE)


class CasePage(Page):
    track = models.ForeignKey(
        "cms.Track", verbose_name="课程体系", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    region = models.CharField("地区", max_length=60, help_text="例如：吉林省长春市朝阳区")
    organization_name = models.CharField("单位", max_length=100)
    background = models.TextField("背景")
    practice = models.TextField("主要做法")
    outcome = models.TextField("成效")
    insight = models.TextField("启示", blank=True)
    featured_week = models.DateField("推荐周", null=True, blank=True, help_text="该周的周一；首页“本周案例”展示")
    tags = ClusterTaggableManager(through=CaseTag, blank=True, verbose_name="标签")
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name="封面图", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="现场照片或封面图，横图，建议 1200×675（16:9）。不选则显示默认图案",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("track"), FieldPanel("region"), FieldPanel("organization_name"), FieldPanel("tags"),
             FieldPanel("featured_week")],
            heading="案例信息",
        ),
        FieldPanel("cover"),
        FieldPanel("background"),
        FieldPanel("practice"),
        FieldPanel("outcome"),
        FieldPanel("insight"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("background"),
        index.SearchField("practice"),
        index.SearchField("search_segmented"),
        index.FilterField("track"),
        index.FilterField("region"),
    ]
    parent_page_types = ["cms.CaseLibraryPage"]
    subpage_types: list[str] = []
    base_form_class = CollegePageForm

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"

    def search_segmented(self):
        return segmented(
            self.title, self.region, self.organization_name, self.background, self.practice, self.outcome,
            self.insight, " ".join(t.name for t in self.tags.all()),
        )

    def excerpt_text(self):
        return f"{self.background} {self.practice} {self.outcome} {self.insight}"
