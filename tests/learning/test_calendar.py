import datetime as dt

import pytest

from learning.calendar import is_workday, next_workdays, previous_workdays, workdays_between
from learning.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def test_official_calendar_knows_holidays_and_adjusted_saturdays():
    assert is_workday(dt.date(2026, 10, 1)) is False  # 国庆
    assert is_workday(dt.date(2026, 10, 10)) is True  # a 调休 Saturday
    assert is_workday(dt.date(2026, 11, 21)) is False  # an ordinary Saturday
    assert is_workday(dt.date(2026, 11, 23)) is True


def test_years_the_package_does_not_know_fall_back_to_monday_to_friday():
    assert is_workday(dt.date(2027, 1, 4)) is True  # Monday
    assert is_workday(dt.date(2027, 1, 9)) is False  # Saturday
    # 2027-01-01 is a Friday: a workday until administrators enter the New Year holiday as an override.
    assert workdays_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == [
        dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 4), dt.date(2027, 1, 5)
    ]


def test_overrides_entered_by_administrators_win_in_every_year():
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=dt.date(2027, 2, 6), is_workday=True, note="春节调休")
    WorkdayOverride.objects.create(date=dt.date(2026, 11, 23), is_workday=False, note="临时调整")
    assert is_workday(dt.date(2027, 1, 1)) is False
    assert is_workday(dt.date(2027, 2, 6)) is True
    assert is_workday(dt.date(2026, 11, 23)) is False
    assert workdays_between(dt.date(2026, 12, 31), dt.date(2027, 1, 4)) == [dt.date(2026, 12, 31), dt.date(2027, 1, 4)]


def test_previous_and_next_workdays_cross_the_new_year():
    assert previous_workdays(dt.date(2027, 1, 5), 3) == [dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 4)]
    assert next_workdays(dt.date(2026, 12, 30), 2) == [dt.date(2026, 12, 31), dt.date(2027, 1, 1)]
