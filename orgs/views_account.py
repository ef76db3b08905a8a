"""allauth's password change page, which also ends the first-login "change your password" requirement."""

from allauth.account.views import PasswordChangeView as AllauthPasswordChangeView

from orgs.services import password_changed


class PasswordChangeView(AllauthPasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


password_change = PasswordChangeView.as_view()
