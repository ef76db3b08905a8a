"""个人日志 on content pages: `{% load journal_tags %}{% journal_form page %}` in the cms templates."""

from django import template

from learning import selectors
from learning.services.journal import BODY_MAX_LENGTH, BODY_MIN_LENGTH
from learning.views import JOURNAL_DRAFT_KEY

register = template.Library()


@register.inclusion_tag("learning/includes/journal_form.html", takes_context=True)
def journal_form(context, page):
    """The write form (or a login prompt) and the reader's own entries on this page with their grades."""
    request = context["request"]
    user = request.user
    data = {"request": request, "user": user, "page": page, "csrf_token": context.get("csrf_token"),
            "min_length": BODY_MIN_LENGTH, "max_length": BODY_MAX_LENGTH}
    if user.is_authenticated:
        # A refused entry's text, kept by the view so nothing the trainee typed is lost.
        refused = request.session.pop(JOURNAL_DRAFT_KEY % page.pk, None) or {}
        if isinstance(refused, str):  # a draft a session kept from before the reason joined it
            refused = {"body": refused}
        data["draft"], data["error"] = refused.get("body", ""), refused.get("error", "")
        data["entries"] = selectors.journal_entries_on(user, page.pk)
    return data
