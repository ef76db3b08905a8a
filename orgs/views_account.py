"""allauth's password change page, which also ends the first-login "change your password" requirement,
and the admin's logout, which only a POST (its menu's form) performs."""

from allauth.account.views import PasswordChangeView as AllauthPasswordChangeView
from django.views.decorators.http import require_POST
from wagtail.admin.views.account import LogoutView

from orgs.services import password_changed


class PasswordChangeView(AllauthPasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


password_change = PasswordChangeView.as_view()


# Wagtail's own view deletes the session cookie on any method, so a GET (an <img> on another page) logged
# people out; Django's LogoutView underneath already refuses GET with 405.
admin_logout = require_POST(LogoutView.as_view())
