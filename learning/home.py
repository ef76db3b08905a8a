"""今日学习, the signed-in trainee's card on the home page (a cms.panels panel of cms.HomePage)."""

from django.utils import timezone

from learning import selectors
from learning.summary import summary_figures


def today_panel(request, page) -> dict | None:
    """cms.panels' context for the home page: nothing for a visitor."""
    user = request.user
    if not user.is_authenticated:
        return None
    upcoming = selectors.next_class_deadline(user)
    return {
        "today": selectors.todays_lesson(user),
        **summary_figures(user, streak=None),
        "next_class": upcoming,
        "days_left": (upcoming.ends_on - timezone.localdate()).days if upcoming else None,
        "profile": selectors.profile_of(user),
    }
