"""今日学习, the signed-in trainee's card on the home page (registered with cms.home)."""

from django.utils import timezone

from learning import selectors
from learning.summary import summary_figures


def today_panel(request) -> dict:
    user = request.user
    upcoming = selectors.next_class_deadline(user)
    return {
        "template": "learning/includes/home_today.html",
        "today": selectors.todays_lesson(user),
        **summary_figures(user, streak=None),
        "next_class": upcoming,
        "days_left": (upcoming.ends_on - timezone.localdate()).days if upcoming else None,
        "profile": selectors.profile_of(user),
    }
