"""An id too large for the database is a missing object, not a server error.

`/me/courses/9223372036854775808/enrollment/` passes Django's `<int:…>` converter and ninja's `int`, then
fails in the database (SQLite: OverflowError; PostgreSQL: "value out of range" DataError). Whatever
view asked, the answer is the one a missing id gets: 404 (JSON under /api/, the site's 404 page elsewhere).
"""

from django.db import DataError
from django.http import Http404, JsonResponse
from django.urls import get_resolver
from django.utils.translation import gettext as _


def _id_out_of_range(exc: Exception) -> bool:
    return isinstance(exc, OverflowError) or (isinstance(exc, DataError) and "out of range" in str(exc))


class OutOfRangeIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not _id_out_of_range(exc):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "not_found", "message": _("请求的对象不存在。")}, status=404)
        return get_resolver().resolve_error_handler(404)(request, Http404())  # the site's own 404 page
