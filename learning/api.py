"""The public surface of `learning` for other apps."""

from learning.calendar import is_workday, next_workdays, previous_workdays, workdays_between

__all__ = ["is_workday", "next_workdays", "previous_workdays", "workdays_between"]
