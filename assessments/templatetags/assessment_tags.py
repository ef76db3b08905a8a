"""The quiz card on lesson, daily lesson and course pages (cms templates load this tag)."""

from django import template

from assessments import selectors

register = template.Library()


@register.inclusion_tag("assessments/includes/quiz_panel.html", takes_context=True)
def quiz_panel(context, page):
    user = context["request"].user
    return {"states": [selectors.quiz_state(quiz, user) for quiz in selectors.quizzes_for_page(page.pk)],
            "user": user, "request": context["request"]}
