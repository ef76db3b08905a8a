"""Training classes (线上集中培训班) and enrollments (报名/指派)."""

from django.conf import settings
from django.db import models


class TrainingClass(models.Model):
    name = models.CharField("班次名称", max_length=100)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="主办组织", on_delete=models.PROTECT, related_name="organized_classes"
    )
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期", help_text="必修课程须在此日期前完成")
    courses = models.ManyToManyField("cms.CoursePage", verbose_name="必修课程", related_name="training_classes")
    trainers = models.ManyToManyField("cms.Trainer", verbose_name="培训导师", blank=True, related_name="classes")
    member_organizations = models.ManyToManyField(
        "orgs.Organization", verbose_name="参训组织（含下级）", blank=True, related_name="classes"
    )
    member_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="指定学员", blank=True, related_name="named_classes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = "培训班"
        verbose_name_plural = "培训班"

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", "自主选课"
        CLASS = "class", "培训班指派"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("cms.CoursePage", verbose_name="课程", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "选课"
        verbose_name_plural = "选课"
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="uniq_enrollment")]
        indexes = [models.Index(fields=["course", "user"])]

    def __str__(self):
        return f"{self.user} → {self.course_id}"
