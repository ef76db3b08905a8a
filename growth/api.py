"""The public surface of `growth` for the apps above it (none yet: stats reads the ledger itself)."""

from growth.models import GrowthRecord, GrowthSnapshot
from growth.selectors import current_streak

__all__ = ["GrowthRecord", "GrowthSnapshot", "current_streak"]
