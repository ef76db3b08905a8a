"""Request gates: imported accounts must choose their own password before anything else, and signed-in
users without admin access get a clear 403 on admin pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.api import DomainError
from orgs.models import TraineeProfile

PASSWORD_OK_KEY = "learning:password_ok"


def must_change_password(user, session=None) -> bool:
    """One small query per request until the answer is "no": that is remembered in the session (only
    imports set the flag, and only on accounts they create, so a "no" stays a "no" for the session)."""
    if session is not None and session.get(PASSWORD_OK_KEY):
        return False
    cached = getattr(user, "_must_change_password", None)
    if cached is None:
        cached = TraineeProfile.objects.filter(user_id=user.pk, must_change_password=True).exists()
        user._must_change_password = cached
    if not cached and session is not None:
        session[PASSWORD_OK_KEY] = True
    return cached


class PasswordChangeRequired(DomainError):
    status = 403


def ensure_own_password(user, session=None) -> None:
    """The API's side of the same rule (pages redirect instead): an account still on the shared initial
    password gets a 403 with a code saying what to do, on every operation."""
    if user.is_authenticated and must_change_password(user, session):
        raise PasswordChangeRequired("password_change_required",
                                     _("首次登录须先在网页上修改初始密码，修改后才能使用接口。"))


class PasswordChangeRequiredMiddleware:
    """Send a logged-in user whose profile says `must_change_password` to the password change page.

    Anonymous requests cost no query (the user is only looked at after the cheap path checks, and the
    session is read by the authentication middleware anyway); signed-in ones cost one until the answer
    is remembered in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt_prefixes(self) -> tuple[str, ...]:
        return (
            settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/",
            reverse("account_change_password"), reverse("account_logout"),
            "/api/",  # answers 403 password_change_required instead (ensure_own_password)
        )

    def __call__(self, request):
        if (
            not request.path.startswith(self._exempt_prefixes())
            and request.user.is_authenticated
            and must_change_password(request.user, request.session)
        ):
            return self._redirect(request)
        return self.get_response(request)

    def _redirect(self, request):
        target = reverse("account_change_password")
        next_url = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            target = f"{target}?{urlencode({'next': next_url})}"
        accept = request.headers.get("Accept", "")
        if not accept or "text/html" in accept:
            # Not for a browser's background fetches (favicon, images): the message would show twice.
            messages.warning(request, _("首次登录请先修改密码"))
        return HttpResponseRedirect(target)


class AdminAccessDeniedMiddleware:
    """A signed-in trainee who opens an admin URL (an old link, a typed address) gets a 403 page that
    says why, instead of Wagtail sending them back to a login page they are already past. Anonymous
    visitors still go to the login page; the login, logout and password-reset pages stay open."""

    OPEN_PATHS = ("login/", "logout/", "password_reset/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("wagtailadmin_home")

    def __call__(self, request):
        path = request.path
        if (path.startswith(self.prefix) and not path[len(self.prefix):].startswith(self.OPEN_PATHS)
                and request.user.is_authenticated and not request.user.has_perm("wagtailadmin.access_admin")):
            raise PermissionDenied
        return self.get_response(request)
