"""我的学习 (/me/)'s panels, in cms.panels' slot "learning.me": apps above learning add theirs without
learning importing them (classroom: the trainee's upcoming sessions, 面授课程)."""

from collections.abc import Callable

from cms.panels import panels_in, register_panel

ME_SLOT = "learning.me"


def register_me_panel(*, template: str, context: Callable, order: int = 100) -> None:
    """Render `template` with `context(request)` on 我的学习 (called in `ready()`)."""
    register_panel(slot=ME_SLOT, template=template, context=context, order=order)


def me_panels(request) -> list[tuple[str, dict]]:
    return panels_in(ME_SLOT, request)
