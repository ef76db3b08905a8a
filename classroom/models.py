"""Classroom and field training (线下集中培训) beside online learning: the sessions of a training class,
sign-up, check-in (签到) and attendance with its audit trail, the personal calendar feed, and 评教.

Attendance credits 学时 only through learning's ledger (classroom.services); nothing here is ever the
record of credit. Evaluations are anonymous by construction: who answered (`EvaluationReceipt`) and what
was answered (`EvaluationResponse`) are two tables with nothing in common but the thing evaluated.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class TrainingSession(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", "集中授课"
        FIELD = "field", "现场教学"
        SEMINAR = "seminar", "研讨交流"

    training_class = models.ForeignKey(
        "learning.TrainingClass", verbose_name="培训班", on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField("课程名称", max_length=100)
    kind = models.CharField("形式", max_length=10, choices=Kind.choices, default=Kind.LECTURE)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    venue_base = models.ForeignKey(
        "cms.TeachingBasePage", verbose_name="现场教学实践基地", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="在实践基地上课时选择；否则填写下面的地址",
    )
    address = models.CharField("上课地址", max_length=200, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授课导师", on_delete=models.PROTECT, related_name="taught_sessions",
        help_text="负责签到的导师账号",
    )
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空表示不限名额")
    signup_open = models.BooleanField("开放报名", default=False, help_text="开放后本班学员可在“我的学习”报名或取消")
    credit_hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=2, default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
        help_text="出勤（含迟到）记入学习台账的学时，以 0.25 学时为单位",
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        "迟到时限（分钟）", default=10, validators=[MaxValueValidator(240)],
        help_text="开始时间之后超过这么多分钟签到记为迟到",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "面授课程"
        verbose_name_plural = "面授课程"
        indexes = [models.Index(fields=["training_class", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.title}（{self.training_class}）"

    @property
    def venue(self) -> str:
        """Where it happens, as trainees read it: the base's name and address, or the free address."""
        if self.venue_base_id is not None and self.venue_base is not None:
            return f"{self.venue_base.title}（{self.venue_base.address}）"
        return self.address


class SessionSignup(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_signups")
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "面授报名"
        verbose_name_plural = "面授报名"
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="uniq_session_signup")]
        indexes = [models.Index(fields=["user", "session"])]

    def __str__(self):
        return f"{self.user_id} → {self.session_id}"


class CheckinWindow(models.Model):
    """One opening of check-in by the trainer. Tokens name their window: closing it (or opening a new one)
    makes every code shown so far worthless, even inside its 30 seconds."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="checkin_windows")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField("开始签到")
    closed_at = models.DateTimeField("结束签到", null=True, blank=True)

    class Meta:
        verbose_name = "签到时段"
        verbose_name_plural = "签到时段"
        constraints = [models.UniqueConstraint(fields=["session"], condition=Q(closed_at__isnull=True),
                                               name="one_open_checkin_per_session")]

    def __str__(self):
        return f"{self.session_id} @ {self.opened_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "出勤"
        LATE = "late", "迟到"
        ABSENT = "absent", "缺勤"

    ATTENDED = (Status.PRESENT, Status.LATE)  # 出勤 counts a late arrival: the one rule of "was there"

    class Method(models.TextChoices):
        QR = "qr", "扫码签到"
        CODE = "code", "数字签到码"
        MANUAL = "manual", "导师登记"

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("出勤情况", max_length=8, choices=Status.choices)
    method = models.CharField("签到方式", max_length=8, choices=Method.choices)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    window = models.ForeignKey(CheckinWindow, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the ledger holds for this attendance right now (the sum of its entries), so that a correction
    # knows what to reverse without re-reading the ledger.
    credited_hours = models.DecimalField("已记学时", max_digits=5, decimal_places=2, default=Decimal("0"))
    credited_points = models.IntegerField("已记积分", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "出勤"
        verbose_name_plural = "出勤"
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="uniq_session_attendance")]
        indexes = [models.Index(fields=["user", "session"])]

    def __str__(self):
        return f"{self.user_id} @ {self.session_id}: {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class AttendanceChange(models.Model):
    """Every hand-made mark or correction: who, when, from what to what, and why. Never edited."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField("时间")
    from_status = models.CharField("原状态", max_length=8, choices=Attendance.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=8, choices=Attendance.Status.choices)
    reason = models.CharField("原因", max_length=200)
    credit_delta = models.DecimalField("学时变动", max_digits=5, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "出勤更正记录"
        verbose_name_plural = "出勤更正记录"

    def __str__(self):
        return f"{self.attendance_id}: {self.from_status or '—'} → {self.to_status}"


class CalendarFeed(models.Model):
    """A trainee's personal ICS feed. Only a hash of the token is kept: the link is shown once, and a new
    link (or a revocation) ends the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"

    def __str__(self):
        return f"calendar feed of {self.user_id}"


# A session or a course, never both, never neither.
ONE_TARGET = Q(session__isnull=False, course__isnull=True) | Q(session__isnull=True, course__isnull=False)


class EvaluationReceipt(models.Model):
    """That `user` has evaluated a session or a course — nothing about what they answered. Keeps 评教 to
    once per trainee and target."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    course = models.ForeignKey("cms.CoursePage", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "评教记录"
        verbose_name_plural = "评教记录"
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET,
                                   name="receipt_one_target"),
            models.UniqueConstraint(fields=["user", "session"], condition=Q(session__isnull=False),
                                    name="uniq_session_receipt"),
            models.UniqueConstraint(fields=["user", "course"], condition=Q(course__isnull=False),
                                    name="uniq_course_receipt"),
        ]

    def __str__(self):
        return f"{self.user_id} evaluated {self.session_id or self.course_id}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class EvaluationResponse(models.Model):
    """One anonymous answer: no user, no time, a random key (so neither the id order nor a timestamp can
    be matched against the receipts)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="evaluations")
    course = models.ForeignKey("cms.CoursePage", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    content_score = models.PositiveSmallIntegerField("内容", validators=SCORE_VALIDATORS)
    trainer_score = models.PositiveSmallIntegerField("讲授", validators=SCORE_VALIDATORS)
    organisation_score = models.PositiveSmallIntegerField("组织", validators=SCORE_VALIDATORS)
    comment = models.TextField("意见建议", max_length=500, blank=True)

    class Meta:
        verbose_name = "评教"
        verbose_name_plural = "评教"
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET,
                                   name="response_one_target"),
            *(models.CheckConstraint(condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                                     name=f"response_{field}_1_to_5")
              for field in ("content_score", "trainer_score", "organisation_score")),
        ]

    def __str__(self):
        return f"evaluation of {self.session_id or self.course_id}"
