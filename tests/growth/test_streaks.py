"""The streak rule on its own: runs of consecutive workdays, today still open, runs across New Year."""

import datetime as dt

from growth.streaks import streaks

D = dt.date


def run(active, days, year=2026, reference=None):
    position = {day: index for index, day in enumerate(days)}
    return streaks(set(active), days, position, year, reference or days[-1])


# Workdays Mon 2026-12-28 … Thu 12-31, then (元旦 off) Mon 2027-01-04 and Tue 01-05.
DAYS = [D(2026, 12, 28), D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 5)]


def test_no_activity_is_no_streak():
    assert run([], DAYS) == (0, 0, None)


def test_consecutive_workdays_make_a_run_and_a_holiday_between_them_breaks_nothing():
    assert run(DAYS[2:], DAYS, year=2027) == (4, 4, D(2027, 1, 5))


def test_the_reference_day_itself_may_still_be_studied():
    assert run(DAYS[1:5], DAYS, year=2027, reference=D(2027, 1, 5)) == (4, 4, D(2027, 1, 4))


def test_missing_the_day_before_the_reference_breaks_the_run():
    assert run(DAYS[:4], DAYS, year=2027, reference=D(2027, 1, 5)) == (0, 0, None)


def test_a_reference_day_that_is_no_workday_keeps_yesterdays_run_only_when_the_last_workday_was_studied():
    days = DAYS[:4]  # reference Saturday 2027-01-02: the list ends on Thursday 12-31
    assert run(days, days, year=2026, reference=D(2027, 1, 2)) == (4, 4, D(2026, 12, 31))
    assert run(days[:3], days, year=2026, reference=D(2027, 1, 2)) == (0, 3, None)


def test_a_gap_restarts_the_run_and_the_longest_run_is_kept():
    assert run([DAYS[0], DAYS[1], DAYS[3], DAYS[4], DAYS[5]], DAYS, year=2027) == (3, 3, D(2027, 1, 5))
    assert run([DAYS[0], DAYS[1], DAYS[2], DAYS[4], DAYS[5]], DAYS, year=2026) == (2, 3, D(2027, 1, 5))


def test_the_longest_run_of_a_year_counts_only_days_in_that_year_but_a_run_carries_in():
    # Four days of December carry into January: in 2027 the run is 6 long, 2026's longest is 4.
    assert run(DAYS, DAYS, year=2027) == (6, 6, D(2027, 1, 5))
    assert run(DAYS, DAYS, year=2026) == (6, 4, D(2027, 1, 5))


def test_active_days_that_are_not_workdays_neither_count_nor_break():
    assert run([D(2027, 1, 1), DAYS[3], DAYS[4]], DAYS, year=2027) == (2, 2, D(2027, 1, 4))
