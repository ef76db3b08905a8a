"""学员成长库: per-trainee yearly growth records and weekly snapshots — projections of the ledger."""

from decimal import Decimal

from django.conf import settings
from django.db import models


class GrowthRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_records")
    year = models.PositiveSmallIntegerField("年度")
    credit_hours = models.DecimalField("学时", max_digits=7, decimal_places=2, default=Decimal("0"))
    points = models.IntegerField("积分（已按每日上限计）", default=0)
    target_hours = models.DecimalField("年度目标学时", max_digits=6, decimal_places=2, default=Decimal("50"))
    current_streak = models.PositiveIntegerField("当前连续学习（工作日）", default=0)
    longest_streak = models.PositiveIntegerField("最长连续学习（工作日）", default=0)
    streak_last_day = models.DateField("连续学习最后一天", null=True, blank=True)
    daily_count = models.PositiveIntegerField("每日一课", default=0)
    lesson_count = models.PositiveIntegerField("课时", default=0)
    course_count = models.PositiveIntegerField("课程", default=0)
    case_count = models.PositiveIntegerField("案例", default=0)
    quiz_count = models.PositiveIntegerField("测验通过", default=0)
    journal_count = models.PositiveIntegerField("学习日志", default=0)
    last_activity_at = models.DateTimeField("最近学习", null=True, blank=True)
    # The outbox watermark: the highest ledger id this record includes. A beat job refreshes every
    # trainee whose ledger is ahead of it, so a lost enqueue is never a lost update.
    last_entry_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "learning_growthrecord"  # created by learning's migrations; rows kept on the move
        verbose_name = "成长记录"
        verbose_name_plural = "成长记录"
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="uniq_growth_record")]
        indexes = [models.Index(fields=["year", "user"])]

    def __str__(self):
        return f"{self.user_id} {self.year}"

    @property
    def target_percent(self) -> int:
        if not self.target_hours:
            return 100
        return min(100, int(self.credit_hours * 100 / self.target_hours))


class GrowthSnapshot(models.Model):
    """One row per trainee per ISO week (Monday), for the growth timeline."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_snapshots")
    week_start = models.DateField("周一")
    credit_hours = models.DecimalField("本周学时", max_digits=7, decimal_places=2, default=Decimal("0"))
    points = models.IntegerField("本周积分", default=0)
    activities = models.PositiveIntegerField("本周学习次数", default=0)

    class Meta:
        db_table = "learning_growthsnapshot"
        verbose_name = "成长快照"
        verbose_name_plural = "成长快照"
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="uniq_growth_snapshot")]

    def __str__(self):
        return f"{self.user_id} {self.week_start}"
