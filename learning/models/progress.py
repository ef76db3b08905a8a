"""Tracked progress (学习进度) and the append-only activity ledger (学习台账)."""

from decimal import Decimal

from django.conf import settings
from django.db import models


class LessonProgress(models.Model):
    """One row per (trainee, lesson page), upserted by heartbeats. `page` is a lesson or a daily lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    position_seconds = models.FloatField("播放位置（秒）", default=0)
    effective_seconds = models.FloatField("有效学习时长（秒）", default=0)
    last_session = models.CharField(max_length=40, blank=True)  # one player instance (tab/device)
    last_beat_seq = models.PositiveIntegerField(default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "学习进度"
        verbose_name_plural = "学习进度"
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="uniq_lesson_progress")]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self):
        return f"{self.user_id} @ {self.page_id}: {self.effective_seconds:.0f}s"


class WatchClock(models.Model):
    """Per trainee: the wall-clock instant up to which watching has been credited, across every lesson,
    tab and device (learning.plausibility.watch_clock). Locked by each crediting beat."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    credited_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "观看时钟"
        verbose_name_plural = "观看时钟"

    def __str__(self):
        return f"{self.user_id} until {self.credited_until}"


class LedgerEntry(models.Model):
    """One credited activity. Never updated; the unique key makes a replay credit nothing twice."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "完成课时"
        DAILY = "daily", "完成每日一课"
        COURSE = "course", "完成课程"
        CASE = "case", "研读案例"
        QUIZ = "quiz", "通过测验"
        JOURNAL = "journal", "学习日志"
        # 线下集中培训 (classroom): attendance credits the session's 学时 once (object: the attendance row);
        # a trainer's correction changes it with an explicit entry of its own (object: the change row),
        # negative when it removes attendance. Never an update or a delete.
        ATTEND = "attend", "课堂签到"
        ATTEND_FIX = "attend_fix", "签到更正"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    title = models.CharField("内容", max_length=255)
    credit_hours = models.DecimalField("学时", max_digits=6, decimal_places=2, default=Decimal("0"))
    points = models.IntegerField("积分", default=0)
    occurred_at = models.DateTimeField("时间", db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "学习台账"
        verbose_name_plural = "学习台账"
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="uniq_ledger_credit")]
        indexes = [models.Index(fields=["user", "-occurred_at"])]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.object_id}"
