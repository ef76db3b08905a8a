"""A trainee's side of classroom training: their sessions, sign-up, check-in (签到), the calendar feed and
评教. Thin: parse the request, call selectors or services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from classroom import calendar_feed, checkin, selectors, services
from classroom.services import ClassroomError

PENDING_KEY = "classroom_checkin_pending"
CODE_RATE = "10/m"  # 6-digit codes live 15–30 s: ten tries a minute cannot guess one


@login_required
def my_sessions(request):
    return render(request, "classroom/my_sessions.html", {
        "sessions": selectors.sessions_for_trainee(request.user),
    })


@login_required
@require_POST
def signup(request, session_id: int):
    """报名 / 取消报名 on 我的学习 and 我的面授课程."""
    try:
        if request.POST.get("action") == "cancel":
            services.session_signup_cancel(user=request.user, session_id=session_id)
            messages.success(request, _("已取消报名。"))
        else:
            services.session_signup(user=request.user, session_id=session_id)
            messages.success(request, _("报名成功，请按时参加。"))
    except ClassroomError as error:
        if error.status == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
    return redirect(_back(request, reverse("classroom:sessions")))


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target in ("/me/", "/classroom/") else default


# --- 签到 ------------------------------------------------------------------------------------------------

def _result(request, *, attendance=None, created=False, error: ClassroomError | None = None, status: int = 200):
    return render(request, "classroom/checkin_result.html", {
        "attendance": attendance, "created": created, "error": error,
        "session": attendance.session if attendance else None,
    }, status=status)


@never_cache
@require_http_methods(["GET"])
def checkin_token(request, token: str):
    """The QR code's link. Someone not signed in has the scan remembered (the token would expire during
    the login) and comes back here signed in."""
    if not request.user.is_authenticated:
        try:
            session_id, window_id = checkin.read_token(token)
        except checkin.TokenExpired:
            return _result(request, error=ClassroomError("code_expired", _(
                "这个签到二维码已过期（二维码每隔几秒更换，有效期 %(n)d 秒）。请在课堂现场扫描导师屏幕上正在显示的二维码。")
                % {"n": checkin.TOKEN_SECONDS}), status=400)
        except checkin.TokenInvalid:
            return _result(request, error=ClassroomError("invalid_code", _("签到码无效，请扫描导师屏幕上的二维码重新签到。")),
                           status=400)
        request.session[PENDING_KEY] = {"s": session_id, "w": window_id, "at": timezone.now().isoformat()}
        return redirect_to_login(request.get_full_path())
    pending = request.session.pop(PENDING_KEY, None)
    try:
        attendance, created = services.checkin_with_token(user=request.user, token=token, pending=pending)
    except ClassroomError as error:
        return _result(request, error=error, status=error.status)
    return _result(request, attendance=attendance, created=created)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkin_code(request):
    """签到码: for phones that cannot scan."""
    if request.method == "GET":
        return render(request, "classroom/checkin_code.html", {})
    if is_ratelimited(request, group="classroom-code", key="user", rate=CODE_RATE, increment=True):
        error = ClassroomError("rate_limited", _("尝试次数过多，请稍等一分钟再输入签到码。"), 429)
        return render(request, "classroom/checkin_code.html", {"error": error}, status=429)
    try:
        attendance, created = services.checkin_with_code(user=request.user, code=request.POST.get("code", ""))
    except ClassroomError as error:
        return render(request, "classroom/checkin_code.html", {"error": error, "code": request.POST.get("code", "")[:12]},
                      status=error.status)
    return _result(request, attendance=attendance, created=created)


# --- the calendar feed -----------------------------------------------------------------------------------

@never_cache  # the response may carry the feed's token: no browser or proxy may keep it
@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    link = None
    if request.method == "POST":
        token = services.calendar_feed_create(user=request.user)
        link = request.build_absolute_uri(reverse("classroom:calendar_feed", args=[token]))
    return render(request, "classroom/calendar.html", {
        "feed": selectors.calendar_feed_of(request.user), "link": link,
    })


@login_required
@require_POST
def calendar_revoke(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("已停用日历订阅链接，使用它的日历将不再更新。"))
    return redirect("classroom:calendar")


@never_cache
@require_http_methods(["GET", "HEAD"])
def calendar_ics(request, feed_token: str):
    """The personal feed: the token is the only credential (calendar apps send no cookie)."""
    user = selectors.calendar_feed_user(services.calendar_token_hash(feed_token))
    if user is None:
        raise Http404
    body = calendar_feed.ics(selectors.calendar_sessions(user), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="classroom.ics"'
    return response


# --- 评教 -------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def session_evaluation(request, session_id: int):
    session = selectors.session_for_trainee(request.user, session_id)
    if session is None or not session.attended:
        raise Http404
    return _evaluation(request, target=session, title=session.title, done=session.evaluated,
                       submit=lambda values: services.session_evaluate(user=request.user, session_id=session.pk,
                                                                       values=values),
                       back=reverse("classroom:sessions"))


@login_required
@require_http_methods(["GET", "POST"])
def course_evaluation(request, course_id: int):
    from cms.models import CoursePage

    course = CoursePage.objects.live().filter(pk=course_id).first()
    state = selectors.course_evaluation_state(request.user, course_id) if course else None
    if state is None:
        raise Http404
    return _evaluation(request, target=course, title=course.title, done=state["evaluated"],
                       submit=lambda values: services.course_evaluate(user=request.user, course_id=course.pk,
                                                                      values=values),
                       back=course.url)


def _evaluation(request, *, target, title: str, done: bool, submit, back: str):
    error = None
    if request.method == "POST" and not done:
        try:
            submit(request.POST)
        except ClassroomError as exc:
            error = exc
        else:
            messages.success(request, _("感谢你的评价！评价是匿名的，导师只能看到汇总结果。"))
            return redirect(back)
    return render(request, "classroom/evaluate.html", {
        "title": title, "done": done, "error": error, "values": request.POST if error else {},
        "scores": [("content_score", _("课程内容")), ("trainer_score", _("导师讲授")), ("organisation_score", _("组织安排"))],
        "back": back,
    }, status=400 if error else 200)
