"""Thin views of the content layer: search and the friendly error pages."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

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


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
