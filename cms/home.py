"""Cards that apps above cms add to the home page of a signed-in trainee, without cms importing them:
learning adds 今日学习 (today's lesson done or not, the streak, the next class deadline, unread notices)."""

from collections.abc import Callable

_panels: list[Callable] = []


def register_home_panel(panel: Callable) -> None:
    """`panel(request)` returns a dict with a `template` key (and its context), or None (called in `ready()`)."""
    if panel not in _panels:
        _panels.append(panel)


def home_panels(request) -> list[dict]:
    """The cards for this request; the home page includes each card's template with `card` set to it."""
    if not request.user.is_authenticated:
        return []
    return [card for card in (panel(request) for panel in _panels) if card]
