"""China's workdays: `chinesecalendar` for the years it knows, Monday–Friday after that, and the
administrators' `WorkdayOverride` table on top of both. Never raises for a date it does not know."""

import datetime as dt

import chinese_calendar
from django.utils import timezone

from learning.models import WorkdayOverride


def local_days(first: dt.date | None, last: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The instants bounding the days `first`..`last` in Beijing time: [first 00:00, the day after `last`
    00:00). Either side may be None (open). For `occurred_at__gte=` / `__lt=` filters."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(first, dt.time.min, tzinfo=tz) if first else None
    high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if last else None
    return low, high


def _official(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # chinesecalendar 1.11 stops at 2026; until the State Council's schedule is entered as
        # overrides, a weekday is a workday.
        return day.weekday() < 5


def is_workday(day: dt.date, overrides: dict[dt.date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = dict(WorkdayOverride.objects.filter(date=day).values_list("date", "is_workday"))
    if day in overrides:
        return overrides[day]
    return _official(day)


def _overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def workdays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every workday from `start` to `end`, inclusive, with one query for the overrides."""
    overrides = _overrides_between(start, end)
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if is_workday(day, overrides)]


def previous_workdays(day: dt.date, count: int) -> list[dt.date]:
    """The `count` workdays before `day` (exclusive), oldest first."""
    found = workdays_between(day - dt.timedelta(days=count * 2 + 30), day - dt.timedelta(days=1))
    return found[-count:]


def next_workdays(day: dt.date, count: int) -> list[dt.date]:
    """The `count` workdays after `day` (exclusive), soonest first."""
    return workdays_between(day + dt.timedelta(days=1), day + dt.timedelta(days=count * 2 + 30))[:count]
