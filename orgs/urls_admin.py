"""Wagtail admin pages whose stock view would show other subtrees' trainees, replaced by scoped ones.
Included by config.urls before Wagtail's admin URLs, at the same paths."""

from django.urls import path

from orgs.admin_trainees import ScopedSiteHistoryView

urlpatterns = [
    path("admin/reports/site-history/", ScopedSiteHistoryView.as_view()),
    path("admin/reports/site-history/results/", ScopedSiteHistoryView.as_view(results_only=True)),
]
