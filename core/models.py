"""core's data: the workday calendar's administrators' corrections (调休 makeup workdays, holidays the
packages do not know), which years' schedules an administrator has confirmed as complete, and the
bookkeeping of periodic jobs (JobRun), and the deployment's policy switches (CollegePolicy)."""

from django.conf import settings
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class WorkdayOverride(models.Model):
    """A date the official calendar gets wrong or does not know yet (e.g. 2027's holidays and 调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选：当天上班（如调休的周六）；不勾选：当天放假")
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：2027 年春节调休")

    class Meta:
        db_table = "learning_workdayoverride"  # created by learning before the calendar moved to core
        ordering = ["date"]
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"


class CalendarYear(models.Model):
    """A year whose holiday schedule an administrator confirmed as entered (the State Council publishes
    next year's 放假安排 around November). Years the calendar package ships need no row."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed_at = models.DateTimeField("确认时间")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["year"]
        verbose_name = "已确认的年度安排"
        verbose_name_plural = "已确认的年度安排"

    def __str__(self):
        return f"{self.year} 年"


class JobRun(models.Model):
    """The last run of each periodic job, for /healthz and the admin (beat tick age, failures)."""

    name = models.CharField(max_length=80, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Jobs that walk the ledger (growth catch-up) remember how far they got.
    cursor = models.BigIntegerField(default=0)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "learning_jobrun"  # created by learning before job bookkeeping moved to core
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"

    def __str__(self):
        return self.name


@register_setting(icon="cog")
class CollegePolicy(BaseGenericSetting):
    """Switches for the 2026 rules on government apps used by staff (国办函〔2026〕12号: no mandatory 打卡,
    积分排名 or online-time counting; 学习时长 never a basis of appraisal). Each turns one feature off
    everywhere it appears; the README says what a government deployment should choose."""

    rankings_enabled = models.BooleanField(
        "学时排行", default=True, help_text="关闭后，管理后台不再提供按人排名的学时排行报表及其导出。")
    streaks_enabled = models.BooleanField(
        "连续学习天数", default=True, help_text="关闭后，学员页面与接口不再显示连续学习（工作日）天数。")
    timed_reminders_enabled = models.BooleanField(
        "定时学习提醒", default=True,
        help_text="关闭后，不再在固定时刻（08:30 发布通知、下午未学提醒）向学员推送每日一课提醒。")

    class Meta:
        verbose_name = "合规开关"
        verbose_name_plural = "合规开关"
