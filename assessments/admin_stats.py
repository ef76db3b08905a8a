"""Quiz statistics in the Wagtail admin: a page per quiz and its XLSX export. Thin: check, call, render.

Who sees which attempts is decided in `assessments.stats`; a signed-in admin user who may see no
statistics at all gets 403.
"""

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.imports import XLSX_CONTENT_TYPE
from assessments.models import Quiz
from assessments.stats import can_view_stats, quiz_stats, quizzes_with_counts, stats_xlsx


def _forbidden():
    return HttpResponseForbidden(_("您没有查看测验统计的权限。"))


@require_GET
def index(request):
    if not can_view_stats(request.user):
        return _forbidden()
    return render(request, "assessments/admin/stats_index.html", {"quizzes": quizzes_with_counts(request.user)})


@require_GET
def detail(request, quiz_id: int):
    if not can_view_stats(request.user):
        return _forbidden()
    quiz = get_object_or_404(Quiz.objects.select_related("page"), pk=quiz_id)
    return render(request, "assessments/admin/stats_detail.html", {"stats": quiz_stats(quiz, request.user)})


@require_GET
def export(request, quiz_id: int):
    if not can_view_stats(request.user):
        return _forbidden()
    quiz = get_object_or_404(Quiz.objects.select_related("page"), pk=quiz_id)
    data = stats_xlsx(quiz_stats(quiz, request.user))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition_header(True, f"{quiz.title}-测验统计-{stamp}.xlsx")
    return response
