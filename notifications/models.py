"""In-app notifications and reminders. `reason` makes a reminder idempotent: the same reason for
the same trainee is stored (and e-mailed) once, however often beat fires."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        DAILY_OUT = "daily_out", "每日一课已发布"
        DAILY_REMINDER = "daily_reminder", "每日一课提醒"
        CLASS_DEADLINE = "class_deadline", "培训班截止提醒"
        JOURNAL_REVIEWED = "journal_reviewed", "日志已评价"
        CERTIFICATE = "certificate", "获得证书"
        ADMIN_SUMMARY = "admin_summary", "管理员周报"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    reason = models.CharField("去重键", max_length=80, help_text="例如 daily_reminder:2026-11-23")
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "learning_notification"  # created by learning before notifications became their own app
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        constraints = [models.UniqueConstraint(fields=["user", "reason"], name="uniq_notification_reason")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.user_id} {self.reason}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email_opt_out = models.BooleanField("不接收邮件提醒", default=False)

    class Meta:
        db_table = "learning_notificationpreference"
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self):
        return f"{self.user_id} email={'off' if self.email_opt_out else 'on'}"
