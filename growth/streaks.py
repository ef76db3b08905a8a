"""Workday streaks (连续学习): a pure rule over the days a trainee was active and the calendar's workdays."""

import datetime as dt


def streaks(active: set[dt.date], days: list[dt.date], position: dict[dt.date, int], year: int,
            reference: dt.date) -> tuple[int, int, dt.date | None]:
    """(current, longest within `year`, last day of the current streak) over the workdays `days` (up to
    `reference`; `position` maps each to its index). Walks only the trainee's active workdays: a run
    continues while their positions are consecutive; the reference day itself may still be ahead of
    the trainee, so it does not break the current run."""
    longest = run = 0
    previous = None
    for index in sorted(position[day] for day in active if day in position):
        run = run + 1 if previous is not None and index == previous + 1 else 1
        previous = index
        if days[index].year == year:
            longest = max(longest, run)
    if previous is None:
        return 0, 0, None
    tail = len(days) - 1
    if previous == tail or (previous == tail - 1 and days[tail] == reference):
        return run, longest, days[previous]
    return 0, longest, None
