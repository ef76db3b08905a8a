"""Panels that apps above cms add to content pages without cms importing them (cms knows no trainee and no
session): classroom lists the sessions held at a teaching base, and offers 评教 on a completed course.

A page template renders them with `{% load page_panels %}{% page_panels page %}`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PagePanel:
    page_type: str  # "cms.TeachingBasePage": the panel shows on pages of this type only
    template: str
    context: Callable  # context(request, page) -> dict, or None to show nothing
    order: int


_panels: list[PagePanel] = []


def register_page_panel(*, page_type: str, template: str, context: Callable, order: int = 100) -> None:
    """Render `template` with `context(request, page)` on pages of `page_type` (called in `ready()`)."""
    if not any(p.page_type == page_type and p.template == template for p in _panels):  # ready() may run twice
        _panels.append(PagePanel(page_type.lower(), template, context, order))
        _panels.sort(key=lambda panel: panel.order)


def page_panels(request, page) -> list[tuple[str, dict]]:
    label = f"{page._meta.app_label}.{page._meta.model_name}"
    shown = []
    for panel in _panels:
        if panel.page_type == label:
            context = panel.context(request, page)
            if context is not None:
                shown.append((panel.template, context))
    return shown
