"""django-allauth adapter: accounts come from administrators; public sign-up only when enabled."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class CollegeAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.COLLEGE_OPEN_SIGNUP

