"""Writes of the workday calendar: an administrator's entry of a year's official schedule."""

from django.db import transaction
from django.utils import timezone

from core.holiday_schedule import ScheduleDay
from core.models import CalendarYear, WorkdayOverride


@transaction.atomic
def schedule_save(*, year: int, days: list[ScheduleDay], confirm: bool, user) -> int:
    """Upsert one override per day (entering the same text twice changes nothing) and, with `confirm`,
    mark `year`'s schedule as complete. Returns the number of days written. The days of past dates
    reach streaks with the nightly growth rebuild."""
    if any(day.date.year != year for day in days):
        raise ValueError("days outside the year")  # the form validates this; a caller bug otherwise
    WorkdayOverride.objects.bulk_create(
        [WorkdayOverride(date=day.date, is_workday=day.is_workday, note=day.note) for day in days],
        update_conflicts=True, unique_fields=["date"], update_fields=["is_workday", "note"])
    if confirm:
        CalendarYear.objects.update_or_create(year=year, defaults={"confirmed_at": timezone.now(),
                                                                   "confirmed_by": user})
    return len(days)


def schedule_unconfirm(*, year: int) -> None:
    CalendarYear.objects.filter(year=year).delete()
