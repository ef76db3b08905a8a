"""个人日志 on content pages: `{% load journal_tags %}{% journal_form page %}` in the cms templates."""

from django import template

from learning import selectors
from learning.services.journal import BODY_MAX_LENGTH, BODY_MIN_LENGTH
from learning.views import JOURNAL_DRAFT_KEY, JOURNAL_ERROR_KEY

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
        data["draft"] = request.session.pop(JOURNAL_DRAFT_KEY % page.pk, "")
        data["error"] = request.session.pop(JOURNAL_ERROR_KEY % page.pk, "")
        data["entries"] = selectors.journal_entries_on(user, page.pk)
    return data
