"""Panels that apps above cms add to pages without cms (or learning) importing them: cms knows no trainee
and no session. A panel belongs to a slot — a page type ("cms.teachingbasepage", "cms.homepage": the
signed-in trainee's 今日学习 card) or a named place ("learning.me": 我的学习) — and is a template rendered
with `context(request, *args)`, or nothing when that returns None.

Page templates render theirs with `{% load page_panels %}{% page_panels page %}`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: Callable  # context(request, *args) -> dict, or None to show nothing
    order: int


_panels: list[Panel] = []


def register_panel(*, slot: str, template: str, context: Callable, order: int = 100) -> None:
    """Render `template` with `context(...)` in `slot` (called in `ready()`); lower `order` first."""
    slot = slot.lower()
    if not any(p.slot == slot and p.template == template for p in _panels):  # ready() may run twice
        _panels.append(Panel(slot, template, context, order))
        _panels.sort(key=lambda panel: panel.order)


def panels_in(slot: str, request, *args) -> list[tuple[str, dict]]:
    """(template, context) of every panel of `slot` with something to show for this request."""
    shown = []
    for panel in _panels:
        if panel.slot == slot:
            context = panel.context(request, *args)
            if context is not None:
                shown.append((panel.template, context))
    return shown


def register_page_panel(*, page_type: str, template: str, context: Callable, order: int = 100) -> None:
    """A panel on pages of `page_type` ("cms.TeachingBasePage"): `context(request, page)`."""
    register_panel(slot=page_type, template=template, context=context, order=order)


def page_panels(request, page) -> list[tuple[str, dict]]:
    return panels_in(f"{page._meta.app_label}.{page._meta.model_name}", request, page)
