"""Wagtail admin pages replaced at the same paths (config.urls includes this before Wagtail's admin):
the stock views that would show other subtrees' trainees become scoped ones, and Wagtail's
deliberate-error test page is gone."""

from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access

from orgs.admin_trainees import ScopedSiteHistoryView


def _not_here(request):
    raise Http404


urlpatterns = [
    path("admin/failwhale/", _not_here),  # Wagtail's deliberate-500 test page: not on a real site
    # Outside Wagtail's URL include, so its admin-access check is applied here, as Wagtail does.
    path("admin/reports/site-history/", require_admin_access(ScopedSiteHistoryView.as_view())),
    path("admin/reports/site-history/results/", require_admin_access(ScopedSiteHistoryView.as_view(results_only=True))),
]
