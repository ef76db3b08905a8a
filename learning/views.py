"""A trainee's own pages (我的学习): thin — parse the request, call selectors or services, render."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.api import year_from_query
from learning import selectors, services
from learning.panels import me_panels
from learning.services.journal import BODY_MAX_LENGTH, journal_page
from learning.services.tokens import TOKEN_NAME_MAX_LENGTH
from learning.summary import summary_figures

HISTORY_PAGE_SIZE = 20
RECENT_ACTIVITY = 8
class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("令牌名称"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=gettext_lazy("写明用途，例如“街道数据看板”，最多 60 个字。"),
        error_messages={
            "required": gettext_lazy("请填写令牌名称。"),
            "max_length": gettext_lazy("令牌名称不能超过 60 个字。"),
        },
    )


@login_required
def me(request):
    user = request.user
    courses = selectors.enrollments_overview(user)
    return render(request, "learning/me.html", {
        "profile": selectors.profile_of(user),
        "today": selectors.todays_lesson(user),
        **summary_figures(user, streak=0),
        "totals": selectors.year_totals(user),
        "classes": selectors.classes_overview(user, courses),
        "courses": courses,
        "resume": selectors.resume_point(user),
        "activity": selectors.recent_activity(user, limit=RECENT_ACTIVITY),
        "panels": me_panels(request),
    })


@login_required
def me_history(request):
    year, error = year_from_query(request.GET.get("year", ""))
    if error:
        return render(request, "learning/me_history.html", {"error": error}, status=400)
    user = request.user
    page_obj = Paginator(selectors.ledger_in_year(user, year), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    years = sorted({*selectors.ledger_years(user), timezone.localdate().year, year}, reverse=True)
    return render(request, "learning/me_history.html", {
        "year": year,
        "years": years,
        "totals": selectors.year_totals(user, year),
        "page_obj": page_obj,
        "extra_query": urlencode({"year": year}),
    })


@never_cache  # the response may carry a token's plaintext: no browser or proxy may keep it
@login_required
@require_http_methods(["GET", "POST"])
def me_tokens(request):
    created = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except services.TokenError as exc:
            form.add_error("name", exc.message)
        else:
            created = {"token": token, "plaintext": plaintext}
            form = TokenCreateForm()
    return render(request, "learning/me_tokens.html", {
        "form": form,
        "created": created,
        "tokens": selectors.api_tokens_of(request.user),
        "api_root": request.build_absolute_uri("/api/v1/"),
    })


@login_required
@require_POST
def me_token_revoke(request, token_id: int):
    try:
        token = services.api_token_revoke(user=request.user, token_id=token_id)
    except services.TokenError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("已撤销令牌“%(name)s”，使用它的集成将无法再访问接口。") % {"name": token.name})
    return redirect("learning:me_tokens")


@login_required
@require_POST
def course_enrollment(request, course_id: int):
    """The 报名 / 退出 buttons on a course page (the same services as the API)."""
    from cms.models import CoursePage

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    try:
        if request.POST.get("action") == "leave":
            services.enrollment_leave(user=request.user, course=course)
            messages.success(request, _("已退出课程“%(title)s”。") % {"title": course.title})
        else:
            services.enrollment_create(user=request.user, course=course)
            messages.success(request, _("报名成功，开始学习“%(title)s”吧。") % {"title": course.title})
    except services.EnrollmentError as error:
        messages.error(request, error.message)
    return redirect(course.url)



# 个人日志 (learning journal) --------------------------------------------------------------------

JOURNAL_PAGE_SIZE = 10
# A refused entry's text and the reason, offered again under the text box (where the page lands).
JOURNAL_DRAFT_KEY = "journal_draft:%d"


@login_required
def me_journal(request):
    entries = selectors.journal_entries_of(request.user)
    page_obj = Paginator(entries, JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "learning/me_journal.html", {"page_obj": page_obj})


@login_required
@require_POST
def journal_new(request, page_id: int):
    """The form `{% journal_form page %}` puts on content pages: back to the page, at the form.

    A refused entry saves nothing; its text and the reason wait in the session so the form offers the
    text again with the reason under it (not in the messages at the top, out of sight of #journal)."""
    page = journal_page(page_id)
    if page is None:
        raise Http404
    body = request.POST.get("body", "")
    draft_key = JOURNAL_DRAFT_KEY % page.pk
    try:
        services.journal_create(user=request.user, page=page, body=body)
    except services.JournalError as error:
        # enough of the text to trim, never unbounded
        request.session[draft_key] = {"body": body[: BODY_MAX_LENGTH * 2], "error": error.message}
    else:
        request.session.pop(draft_key, None)
        messages.success(request, _("学习日志已提交，评价后会通知你。"))
    return redirect(page.url + "#journal")
