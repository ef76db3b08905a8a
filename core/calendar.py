"""China's workdays — the one calendar behind the 08:30 notice, reminders, 今日未学, streaks and every
working-day count. For each date, the first of these sources that knows it decides:

1. the administrators' `WorkdayOverride` table (the State Council's 调休 and any correction);
2. `chinesecalendar`: the schedules the State Council has published (2004–2026 in 1.11);
3. `holidays` (python-holidays): China's statutory holidays computed by rule for later years —
   元旦, 春节 with 除夕, 清明, 劳动节, 端午, 中秋, 国庆 and their 补假 — without the makeup workdays,
   which only the published schedule knows;
4. Monday to Friday.

A year is *confirmed* when `chinesecalendar` ships it or an administrator has entered and confirmed its
schedule (`CalendarYear`); from 1 November the next year must be, or the admin home and /healthz warn.
Never raises for a date it does not know.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass

import chinese_calendar
import holidays
from chinese_calendar.constants import Holiday
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import CalendarYear, WorkdayOverride

WARN_FROM_MONTH = 11  # the State Council publishes next year's schedule in October–December


class Source(models.TextChoices):
    OVERRIDE = "override", "管理员录入"
    OFFICIAL = "official", "国务院安排（内置）"
    COMPUTED = "computed", "法定节假日推算"
    WEEKDAY = "weekday", "按星期推算"


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    is_workday: bool
    source: Source
    name: str = ""  # 国庆节, 春节（补假）, 调休上班, or the administrator's note


def local_days(first: dt.date | None, last: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The instants bounding the days `first`..`last` in Beijing time: [first 00:00, the day after `last`
    00:00). Either side may be None (open). For `occurred_at__gte=` / `__lt=` filters."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(first, dt.time.min, tzinfo=tz) if first else None
    high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if last else None
    return low, high


def year_days(year: int) -> tuple[dt.date, dt.date]:
    """1 January and 31 December of `year`; `local_days(*year_days(y))` bounds it in instants."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


YEAR_RANGE = (2000, 2100)


def year_from_query(raw: str) -> tuple[int | None, str]:
    """A page's `?year=`: (the year, "") — the current year when absent — or (None, a message saying
    what is wrong) for anything but a four-digit year within YEAR_RANGE."""
    raw = (raw or "").strip()
    if raw == "":
        return timezone.localdate().year, ""
    if re.fullmatch(r"[0-9]{4}", raw) and YEAR_RANGE[0] <= int(raw) <= YEAR_RANGE[1]:
        return int(raw), ""
    return None, _("年份“%(value)s”无效：请使用 %(low)d–%(high)d 之间的四位数字年份，例如 ?year=%(example)d。") % {
        "value": raw[:20], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1], "example": timezone.localdate().year}


@functools.cache
def published_year(year: int) -> bool:
    """Does `chinesecalendar` ship the State Council's schedule for `year`?"""
    try:
        chinese_calendar.is_workday(dt.date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """China's statutory holidays of `year` and their 补假, computed by rule (python-holidays)."""
    return dict(holidays.China(years=year, language="zh_CN"))


def _published(day: dt.date) -> CalendarDay:
    workday = chinese_calendar.is_workday(day)
    _holiday, english = chinese_calendar.get_holiday_detail(day)
    name = Holiday(english).chinese if english else ""
    if workday and day.weekday() >= 5:
        name = f"{name}调休上班" if name else "调休上班"
    return CalendarDay(day, workday, Source.OFFICIAL, name)


def _by_rule(day: dt.date) -> CalendarDay:
    if published_year(day.year):
        return _published(day)
    name = statutory_holidays(day.year).get(day)
    if name:
        return CalendarDay(day, False, Source.COMPUTED, name)
    return CalendarDay(day, day.weekday() < 5, Source.WEEKDAY)


def _overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, tuple[bool, str]]:
    rows = WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday", "note")
    return {date: (workday, note) for date, workday, note in rows}


def calendar_days(start: dt.date, end: dt.date) -> list[CalendarDay]:
    """Every day from `start` to `end`, inclusive, with what decided it — one query for the overrides."""
    overrides = _overrides_between(start, end)
    found = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        if day in overrides:
            workday, note = overrides[day]
            found.append(CalendarDay(day, workday, Source.OVERRIDE, note))
        else:
            found.append(_by_rule(day))
    return found


def calendar_day(day: dt.date) -> CalendarDay:
    return calendar_days(day, day)[0]


def is_workday(day: dt.date) -> bool:
    return calendar_day(day).is_workday


def workdays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every workday from `start` to `end`, inclusive, with one query for the overrides."""
    return [entry.date for entry in calendar_days(start, end) if entry.is_workday]


def previous_workdays(day: dt.date, count: int) -> list[dt.date]:
    """The `count` workdays before `day` (exclusive), oldest first."""
    found = workdays_between(day - dt.timedelta(days=count * 2 + 30), day - dt.timedelta(days=1))
    return found[-count:]


def next_workdays(day: dt.date, count: int) -> list[dt.date]:
    """The `count` workdays after `day` (exclusive), soonest first."""
    return workdays_between(day + dt.timedelta(days=1), day + dt.timedelta(days=count * 2 + 30))[:count]


def year_confirmed(year: int) -> bool:
    return published_year(year) or CalendarYear.objects.filter(year=year).exists()


def unconfirmed_years(today: dt.date) -> list[int]:
    """The years whose schedule should be confirmed by `today` and is not: this year, and from 1 November
    the next one."""
    wanted = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    return [year for year in wanted if not year_confirmed(year)]
