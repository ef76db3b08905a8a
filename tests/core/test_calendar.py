"""The one workday calendar: published schedules, statutory holidays computed for later years, the
administrators' overrides on top, and which years still need confirming."""

import datetime as dt

import pytest

from core.calendar import (
    Source,
    calendar_day,
    calendar_days,
    is_workday,
    next_workdays,
    previous_workdays,
    unconfirmed_years,
    workdays_between,
)
from core.models import CalendarYear, WorkdayOverride

pytestmark = pytest.mark.django_db


def test_published_calendar_knows_holidays_and_adjusted_saturdays():
    assert is_workday(dt.date(2026, 10, 1)) is False  # 国庆
    assert is_workday(dt.date(2026, 10, 10)) is True  # a 调休 Saturday
    assert is_workday(dt.date(2026, 11, 21)) is False  # an ordinary Saturday
    assert is_workday(dt.date(2026, 11, 23)) is True
    assert calendar_day(dt.date(2026, 10, 1)).name == "国庆节"
    assert calendar_day(dt.date(2026, 10, 10)).name == "国庆节调休上班"
    assert calendar_day(dt.date(2026, 10, 10)).source == Source.OFFICIAL


@pytest.mark.parametrize("day, name", [
    (dt.date(2027, 1, 1), "元旦"),
    (dt.date(2027, 2, 5), "农历除夕"),
    (dt.date(2027, 2, 8), "春节"),
    (dt.date(2027, 2, 9), "春节（补假）"),  # 初一 falls on a Saturday
    (dt.date(2027, 4, 5), "清明节"),
    (dt.date(2027, 5, 3), "劳动节（补假）"),
    (dt.date(2027, 6, 9), "端午节"),
    (dt.date(2027, 9, 15), "中秋节"),
    (dt.date(2027, 10, 4), "国庆节（补假）"),
    (dt.date(2027, 10, 5), "国庆节（补假）"),
])
def test_statutory_holidays_of_2027_are_days_off_without_any_override(day, name):
    assert is_workday(day) is False
    assert calendar_day(day).source == Source.COMPUTED and calendar_day(day).name == name


def test_other_2027_days_follow_the_week():
    assert is_workday(dt.date(2027, 1, 4)) is True  # Monday
    assert is_workday(dt.date(2027, 1, 9)) is False  # Saturday
    assert calendar_day(dt.date(2027, 1, 4)).source == Source.WEEKDAY
    assert workdays_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == [
        dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 4), dt.date(2027, 1, 5)]


def test_overrides_entered_by_administrators_win_in_every_year():
    WorkdayOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    WorkdayOverride.objects.create(date=dt.date(2027, 2, 10), is_workday=True, note="与推算不同")
    WorkdayOverride.objects.create(date=dt.date(2026, 11, 23), is_workday=False, note="临时调整")
    assert is_workday(dt.date(2027, 2, 20)) is True  # a Saturday
    assert is_workday(dt.date(2027, 2, 10)) is True  # computed as 春节（补假）
    assert is_workday(dt.date(2026, 11, 23)) is False
    assert calendar_day(dt.date(2027, 2, 20)).source == Source.OVERRIDE
    assert calendar_day(dt.date(2027, 2, 20)).name == "春节调休"
    assert dt.date(2027, 2, 20) in workdays_between(dt.date(2027, 2, 15), dt.date(2027, 2, 21))


def test_previous_and_next_workdays_cross_the_new_year():
    assert previous_workdays(dt.date(2027, 1, 5), 3) == [dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 4)]
    assert previous_workdays(dt.date(2027, 1, 5), 2) == [dt.date(2026, 12, 31), dt.date(2027, 1, 4)]
    assert next_workdays(dt.date(2026, 12, 30), 2) == [dt.date(2026, 12, 31), dt.date(2027, 1, 4)]


def test_a_year_of_days_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        days = calendar_days(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert len(days) == 365 and sum(not day.is_workday for day in days) > 104  # weekends plus holidays


def test_next_year_must_be_confirmed_from_november():
    assert unconfirmed_years(dt.date(2026, 10, 31)) == []  # 2026 ships with chinesecalendar
    assert unconfirmed_years(dt.date(2026, 11, 1)) == [2027]
    assert unconfirmed_years(dt.date(2027, 1, 1)) == [2027]
    CalendarYear.objects.create(year=2027, confirmed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    assert unconfirmed_years(dt.date(2026, 11, 15)) == []
    assert unconfirmed_years(dt.date(2027, 11, 15)) == [2028]
