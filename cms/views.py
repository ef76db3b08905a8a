"""Thin views of the content layer: search and the friendly error pages."""

import sys
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Site

from cms import search as segmenter
from cms import selectors


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query[: segmenter.MAX_QUERY_LENGTH], "page_obj": None, "error": ""}
    status = 200
    if not query:
        context["error"] = _("请输入要搜索的词，例如“物业”“网格”“吹哨报到”。")
    elif len(query) > segmenter.MAX_QUERY_LENGTH:
        context["error"] = _("搜索词太长了（%(length)d 个字），请控制在 %(max)d 个字以内。") % {
            "length": len(query),
            "max": segmenter.MAX_QUERY_LENGTH,
        }
        status = 400
    else:
        results, words = selectors.search_pages(query)
        page_obj = Paginator(results, 10).get_page(request.GET.get("page"))
        page_obj.object_list = [
            {"page": page, "excerpt": segmenter.excerpt(f"{page.title} {page.excerpt_text()}", words)}
            for page in (p.specific for p in page_obj.object_list)
        ]
        context.update(page_obj=page_obj, words=words, search_query=urlencode({"q": query}))
    return render(request, "cms/search.html", context, status=status)


@require_safe
def daily_today(request):
    """/daily/today/ → today's lesson (or the latest, with why): a plain view ahead of Wagtail's page
    routing, which would spend a dozen queries walking the tree for what is one cached redirect."""
    target = selectors.today_target(timezone.localtime())
    if target is None:
        raise Http404(_("还没有发布任何每日一课。"))
    return redirect(target)


def daily_lesson(request, slug: str):
    """/daily/<slug>/ — the page every trainee opens at 08:30 — found with one query instead of Wagtail
    walking the page tree (site, home, 八点半课堂, lesson: ~40 % of the page's cost). With one site (the
    only setup this shortcut knows) it serves the lesson exactly as Wagtail's `serve` view would: the
    same `before_serve_page` hooks (view restrictions) and `on_serve_page` chain. Anything else —
    several sites, a moved 八点半课堂, a draft — falls through to Wagtail's routing unchanged."""
    roots = Site.get_site_root_paths()  # cached by Wagtail
    lesson = None
    if len(roots) == 1:
        lesson = selectors.live_daily_lesson_at(f"{roots[0].root_path}daily/{slug}/")
    if lesson is None:
        return wagtail_views.serve(request, f"daily/{slug}/")
    request._wagtail_route_for_request = (lesson, [], {})  # what Wagtail's routing would have cached
    chain = wagtail_views.serve_chain
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        chain = hook(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(lesson, request, [], {})
        if isinstance(result, HttpResponse):
            return result
    return chain(lesson, request, [], {})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    """500, or 503 with Retry-After while the database is unreachable (a restart, a fail-over): the player
    and the quiz page keep what they hold and send it again; nothing was half-written."""
    if not isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return render(request, "500.html", status=500)
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "unavailable", "message": _("服务暂时不可用，请稍后重试。")}, status=503)
    else:
        response = render(request, "500.html", status=503)
    response["Retry-After"] = "5"
    return response
