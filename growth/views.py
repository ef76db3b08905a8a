"""The growth page (成长档案): one's own at /me/growth/, a trainee's at /me/growth/<user_id>/ for trainers
and the administrators whose subtree holds them (anyone else gets a 404, as if it did not exist)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.api import streaks_enabled, year_from_query
from growth import selectors
from learning.api import profile_of


def _subject(request, user_id: int | None):
    """(user, profile, own page?) of the trainee whose page is asked for; 404 unless allowed."""
    viewer = request.user
    if user_id is None or user_id == viewer.pk:
        return viewer, profile_of(viewer), True
    profile = selectors.trainee_profile(user_id)
    if profile is None or not selectors.can_view_growth(viewer, profile):
        raise Http404(_("没有找到这位学员的成长档案。"))
    return profile.user, profile, False


@login_required
@require_safe
def growth(request, user_id: int | None = None):
    subject, profile, own = _subject(request, user_id)
    name = profile.real_name if profile else (subject.get_full_name() or subject.username)
    context = {"subject": subject, "profile": profile, "own": own, "name": name}
    year, error = year_from_query(request.GET.get("year", ""))
    if error:
        context["error"] = error
        return render(request, "growth/growth.html", context, status=400)
    context.update(selectors.growth_page(subject.pk, year), streaks_enabled=streaks_enabled(request))
    return render(request, "growth/growth.html", context)
