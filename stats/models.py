"""Statistics rollups (统计汇总): projections of the ledger that reports and dashboards read.

`OrgDailyStats` holds one row per organisation per day with the figures of its whole subtree
(computed for each trainee's own organisation and summed up the tree by a Celery job). An
organisation without a row had no trainees and no activity that day. `ClassStats` holds one row per
training class.
"""

from decimal import Decimal

from django.db import models


class OrgDailyStats(models.Model):
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="daily_stats")
    date = models.DateField("日期")
    trainees = models.PositiveIntegerField("学员数", default=0)
    active_trainees = models.PositiveIntegerField("参学人数", default=0)
    daily_done = models.PositiveIntegerField("完成当日每日一课", default=0)
    credit_hours = models.DecimalField("学时", max_digits=12, decimal_places=2, default=Decimal("0"))
    points = models.PositiveIntegerField("积分（已按每日上限计）", default=0)
    lessons_completed = models.PositiveIntegerField("完成课时", default=0)
    courses_completed = models.PositiveIntegerField("完成课程", default=0)
    cases_read = models.PositiveIntegerField("研读案例", default=0)
    quizzes_passed = models.PositiveIntegerField("通过测验", default=0)
    journals = models.PositiveIntegerField("学习日志", default=0)
    computed_at = models.DateTimeField("统计时间")

    class Meta:
        db_table = "learning_orgdailystats"  # created by learning before statistics became their own app
        verbose_name = "组织每日统计"
        verbose_name_plural = "组织每日统计"
        constraints = [models.UniqueConstraint(fields=["organization", "date"], name="uniq_org_daily_stats")]
        indexes = [models.Index(fields=["date", "organization"])]

    def __str__(self):
        return f"{self.organization_id} {self.date}"


class ClassStats(models.Model):
    training_class = models.OneToOneField("learning.TrainingClass", verbose_name="培训班", on_delete=models.CASCADE,
                                          related_name="stats")
    members = models.PositiveIntegerField("学员数", default=0)
    completed = models.PositiveIntegerField("已完成全部必修", default=0)
    average_score = models.DecimalField("考试平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField("统计时间")

    class Meta:
        db_table = "learning_classstats"
        verbose_name = "培训班统计"
        verbose_name_plural = "培训班统计"

    def __str__(self):
        return str(self.training_class_id)
