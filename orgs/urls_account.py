"""Account URLs orgs owns, included by config.urls before allauth's own (same name and path)."""

from django.urls import path

from orgs import views_account

urlpatterns = [
    # Changing the password also ends the first-login requirement (orgs.middleware).
    path("password/change/", views_account.password_change, name="account_change_password"),
]
