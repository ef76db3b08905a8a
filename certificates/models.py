"""结业证书: issued once per completed course, training class or annual target; publicly verifiable."""

from decimal import Decimal

from django.conf import settings
from django.db import models


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", "课程结业"
        CLASS = "class", "培训班结业"
        ANNUAL = "annual", "年度学时达标"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象编号", help_text="课程页面、培训班编号，或年度")
    title = models.CharField("证书内容", max_length=200)
    holder_name = models.CharField("姓名", max_length=40)
    credit_hours = models.DecimalField("学时", max_digits=7, decimal_places=2, default=Decimal("0"))
    issued_on = models.DateField("颁发日期")
    issuer = models.CharField("颁发单位", max_length=100)
    code = models.CharField("验证码", max_length=16, unique=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        db_table = "learning_certificate"  # created by learning's migrations; rows kept on the move
        ordering = ["-issued_on", "-id"]
        verbose_name = "结业证书"
        verbose_name_plural = "结业证书"
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="uniq_certificate")]

    def __str__(self):
        return f"{self.holder_name} · {self.title}"
