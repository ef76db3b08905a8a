"""Panels that apps above learning add to 我的学习 (/me/) without learning importing them: classroom adds
the trainee's upcoming sessions (面授课程)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MePanel:
    template: str
    context: Callable  # context(request) -> dict, or None to show nothing
    order: int


_panels: list[MePanel] = []


def register_me_panel(*, template: str, context: Callable, order: int = 100) -> None:
    """Render `template` with `context(request)` on 我的学习 (called in `ready()`); lower `order` first."""
    if not any(panel.template == template for panel in _panels):  # ready() may run twice in tests
        _panels.append(MePanel(template, context, order))
        _panels.sort(key=lambda panel: panel.order)


def me_panels(request) -> list[tuple[str, dict]]:
    """(template, context) of every registered panel with something to show for this request."""
    shown = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
