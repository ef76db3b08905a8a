"""Every way in and out goes through allauth's one rate-limited login (ACCOUNT_RATE_LIMITS): the
Wagtail admin's, Django admin's and Wagtail's private-page login forms only redirect there, and the
admin's logout answers POST only. Included by config.urls before Wagtail's and Django admin's URLs."""

from django.urls import path
from django.views.generic import RedirectView

from orgs import views_account

to_login = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("admin/login/", to_login),
    path("admin/logout/", views_account.admin_logout),
    path("django-admin/login/", to_login),
    path("_util/login/", to_login),  # Wagtail's login for pages restricted to signed-in users
]
