"""Builders for classroom tests: sessions of the demo class (红旗街道), at instants the test chooses."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.contrib.auth.models import User

from classroom.models import TrainingSession
from learning.models import TrainingClass

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Wednesday morning: tests freeze the clock here (time_machine), whatever day the suite runs.
NOW = dt.datetime(2026, 11, 18, 9, 0, tzinfo=SHANGHAI)
STREET_CODE = "22010401"  # 红旗街道: `trainee` (长山花园社区) belongs to its class, trainee01 does not


def demo_class() -> TrainingClass:
    return TrainingClass.objects.filter(member_organizations__code=STREET_CODE).order_by("pk").first()


def session(*, starts_at: dt.datetime = NOW, minutes: int = 120, hours: str = "2", training_class=None,
            trainer: str = "trainer", title: str = "社区议事协商实务", **fields) -> TrainingSession:
    return TrainingSession.objects.create(
        training_class=training_class or demo_class(), title=title, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes), trainer=User.objects.get(username=trainer),
        credit_hours=Decimal(hours), address="红旗街道党群服务中心三楼会议室", **fields,
    )
