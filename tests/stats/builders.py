"""Trainees and ledger entries at given Beijing times, for the statistics tests."""

import datetime as dt
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from learning.models import LedgerEntry
from orgs.api import Organization, TraineeProfile

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 6, 15)  # a workday week without demo daily lessons: 06-15 .. 06-19
_object_ids = count(71_000_000)


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=SH)




def make_trainee(username: str, organization: Organization | None, *, joined: dt.datetime | None = None,
                 active: bool = True) -> User:
    user = User.objects.create(username=username, password="!", is_active=active,
                               date_joined=joined or at(dt.date(2026, 1, 5), dt.time(9)))
    if organization is not None:
        TraineeProfile.objects.create(user=user, real_name=f"测试{username}", organization=organization)
    return user


def add_entry(user: User, when: dt.datetime, kind: str = "lesson", *, hours: str = "0.5", points: int = 2,
              object_id: int | None = None, pk: int | None = None) -> LedgerEntry:
    return LedgerEntry.objects.create(id=pk, user=user, kind=kind, object_id=object_id or next(_object_ids),
                                      title="测试", credit_hours=Decimal(hours), points=points, occurred_at=when)
