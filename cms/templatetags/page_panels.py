"""`{% page_panels page %}`: what apps above cms registered for this page type (cms.panels)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cms import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context, page):
    """Each panel's template sees the page's context (user, csrf_token, unread_notifications …) with the
    panel's own context over it."""
    request = context["request"]
    outer = context.flatten()
    # Each piece is a template rendered with autoescaping: joining them keeps them safe.
    return mark_safe("".join(  # noqa: S308
        render_to_string(name, {**outer, **panel, "page": page})
        for name, panel in panels.page_panels(request, page)
    ))
