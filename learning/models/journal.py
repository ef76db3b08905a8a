"""个人日志: a trainee's learning journal and the trainers' or administrators' reviews of it."""

from django.conf import settings
from django.db import models


class JournalEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries")
    page = models.ForeignKey("wagtailcore.Page", verbose_name="学习内容", on_delete=models.CASCADE, related_name="+",
                             help_text="每日一课、课时、案例或课程")
    body = models.TextField("日志内容", max_length=2000)
    # sha256 of the body: one entry per (author, page, text), enforced by the database — a double click
    # or ten racing submissions file one entry (a unique index on the text itself is too wide).
    body_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "学习日志"
        verbose_name_plural = "学习日志"
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "page", "body_digest"], name="uniq_journal_text")]

    def __str__(self):
        return f"{self.user_id}: {self.body[:20]}"


class JournalReview(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        PASS = "pass", "合格"
        IMPROVE = "improve", "需改进"

    APPROVED = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS)

    entry = models.OneToOneField(JournalEntry, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("评价", max_length=10, choices=Grade.choices)
    comment = models.TextField("评语", max_length=1000, blank=True)
    reviewed_at = models.DateTimeField("评价时间", auto_now=True)

    class Meta:
        verbose_name = "日志评价"
        verbose_name_plural = "日志评价"

    def __str__(self):
        return f"{self.entry_id} {self.grade}"
