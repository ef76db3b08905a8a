"""`{% page_panels page %}`: what apps above cms registered for this page type (cms.panels)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from cms import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context, page):
    request = context["request"]
    # Each piece is a template rendered with autoescaping: joining them keeps them safe.
    return mark_safe("".join(  # noqa: S308
        render_to_string(name, {**panel, "request": request, "user": request.user, "page": page,
                                "csrf_token": context.get("csrf_token")})
        for name, panel in panels.page_panels(request, page)
    ))
