"""The installable app (PWA): the web manifest, the service worker and its offline page, and the
大字模式 switch. Everything is served by this site (no CDN); the worker is the template cms/pwa/sw.js."""

import functools
import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_POST, require_safe

TEXT_COOKIE = "college_text"
TEXT_COOKIE_AGE = 365 * 24 * 3600
# The app shell the worker keeps for offline use: styles, scripts, icons and the offline page.
SHELL_STATIC = ("cms/site.css", "cms/app.js", "cms/icons/icon-192.png", "learning/player.js",
                "learning/player_core.js", "assessments/quiz.js", "assessments/quiz_core.js")
# Pages kept for reading offline (the most recent ones the trainee opened): content, never /me/ or admin.
OFFLINE_PREFIXES = ("/daily/", "/courses/", "/cases/")
OFFLINE_PAGES_KEPT = 12


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC] + [reverse("pwa_offline")]


@functools.cache
def shell_version() -> str:
    """Changes whenever a shell file's content does, so phones drop the old copies (the embedded default
    serves unhashed file names; production's hashed names would change it too)."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        digest.update(name.encode())
        with open(finders.find(name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:12]


@require_safe
@cache_control(max_age=3600)
def manifest(request):
    icons = [{"src": static(f"cms/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "any maskable"} for size in (192, 512)]
    data = {
        "name": _("社区干部网络学院"), "short_name": _("网络学院"), "lang": "zh-Hans",
        "description": _("社区工作者的八点半课堂、课程与案例"),
        "start_url": "/?source=app", "scope": "/", "display": "standalone",
        "background_color": "#faf7f4", "theme_color": "#b71c1c", "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@functools.cache
def service_worker_script() -> str:
    """The worker's source: the same for every visitor, so rendered once per process without a request
    (no context processor, hence no session or user query on a fetch browsers repeat on every visit)."""
    return render_to_string("cms/pwa/sw.js", {
        "version": shell_version(), "shell": shell_urls(), "offline_url": reverse("pwa_offline"),
        "static_prefix": settings.STATIC_URL, "prefixes": OFFLINE_PREFIXES, "kept": OFFLINE_PAGES_KEPT,
    })


@require_safe
@cache_control(no_cache=True)  # browsers check the worker for updates on every visit: a 304 while unchanged
@etag(lambda request: shell_version())
def service_worker(request):
    response = HttpResponse(service_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request):
    """What the worker shows for a page it never kept while the phone has no network."""
    return render(request, "cms/pwa/offline.html")


@require_POST
def display_mode(request):
    """大字模式 on or off, kept in a cookie (for visitors too), then back to the page it was asked on."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.POST.get("text") == "large":
        response.set_cookie(TEXT_COOKIE, "large", max_age=TEXT_COOKIE_AGE, samesite="Lax",
                            secure=request.is_secure(), httponly=True)
    else:
        response.delete_cookie(TEXT_COOKIE, samesite="Lax")
    return response


def display(request) -> dict:
    """Context processor: whether this browser asked for 大字模式."""
    return {"large_text": request.COOKIES.get(TEXT_COOKIE) == "large"}


LOGOUT_PATHS = ("/accounts/logout/", "/admin/logout/")


class ForgetOnLogoutMiddleware:
    """A shared phone: after 退出 the browser drops the pages, local answers and the worker it kept
    (Clear-Site-Data), so the next person on it reads nothing of the last one offline."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and request.path in LOGOUT_PATHS and response.status_code in (301, 302, 303):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
