"""Tracks (课程体系) and trainers (培训导师): snippets shared by courses and cases."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Track(index.Indexed, models.Model):
    name = models.CharField("名称", max_length=40, unique=True)
    slug = models.SlugField("URL 标识", max_length=60, unique=True, allow_unicode=False)
    description = models.TextField("简介", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "课程体系"
        verbose_name_plural = "课程体系"

    def __str__(self):
        return self.name


class Trainer(index.Indexed, models.Model):
    class Title(models.TextChoices):
        CHIEF = "chief", "首席培训导师"
        TRAINER = "trainer", "培训导师"

    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职称", max_length=20, choices=Title.choices, default=Title.TRAINER)
    bio = models.TextField("简介", blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="照片", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        "auth.User", verbose_name="后台账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="trainer"
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("bio"), FieldPanel("photo"), FieldPanel("user")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["title", "name"]
        verbose_name = "培训导师"
        verbose_name_plural = "培训导师"

    def __str__(self):
        return f"{self.name}（{self.get_title_display()}）"
