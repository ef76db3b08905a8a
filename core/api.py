"""The public surface of `core` for the domain apps."""

from core import calendar
from core.calendar import local_days, unconfirmed_years

__all__ = ["calendar", "local_days", "unconfirmed_years"]
