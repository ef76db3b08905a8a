"""The trainer's side (授课导师, trainers, administrators in scope): the sessions they run, the check-in
screen with its rotating code, and the roster where attendance is marked and corrected by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from classroom import access, checkin, qr, selectors, services
from classroom.models import Attendance
from classroom.services import ClassroomError


def _session_or_404(request, session_id: int):
    session = selectors.runnable_session(request.user, session_id)
    if session is None:
        raise Http404
    return session


@login_required
def teach(request):
    if not access.may_see_reports(request.user):
        raise Http404
    return render(request, "classroom/teach.html", {"sessions": selectors.sessions_to_run(request.user)})


@login_required
def session_roster(request, session_id: int):
    session = _session_or_404(request, session_id)
    rows = list(selectors.roster(session, viewer=request.user))
    return render(request, "classroom/roster.html", {
        "session": session,
        "rows": rows,
        "counts": selectors.roster_counts(session, viewer=request.user),
        "window": selectors.open_window(session),
        "changes": selectors.changes_of(session, viewer=request.user),
        "statuses": Attendance.Status.choices,
        "now": timezone.now(),
        "report_url": reverse("classroom_attendance_report") + "?" + urlencode({"session": session.pk}),
        "admin_report": access.may_see_reports(request.user),
    })


def _checkin_payload(request, session, window) -> dict:
    now = timezone.now()
    token = checkin.mint_token(session_id=session.pk, window_id=window.pk)
    url = request.build_absolute_uri(reverse("classroom:checkin_token", args=[token]))
    return {
        "open": True,
        "qr": qr.svg_data_uri(url),
        "url": url,
        "code": checkin.current_code(window.pk, now),
        "rotate_seconds": checkin.ROTATE_SECONDS,
        "attended": _attended(session, request.user),
    }


def _attended(session, viewer) -> int:
    counts = selectors.roster_counts(session, viewer=viewer)
    return sum(counts[status] for status in Attendance.ATTENDED)


@never_cache
@login_required
def checkin_screen(request, session_id: int):
    session = _session_or_404(request, session_id)
    window = selectors.open_window(session)
    return render(request, "classroom/checkin_screen.html", {
        "session": session, "window": window,
        "payload": _checkin_payload(request, session, window) if window else None,
        "code_url": request.build_absolute_uri(reverse("classroom:checkin_code")),
    })


@never_cache
@login_required
@require_GET
def checkin_code_json(request, session_id: int):
    """A fresh token, QR and number for the screen (fetched every few seconds by checkin.js)."""
    session = _session_or_404(request, session_id)
    window = selectors.open_window(session)
    if window is None or timezone.now() > session.ends_at + services.OPEN_AFTER:
        return JsonResponse({"open": False})
    return JsonResponse(_checkin_payload(request, session, window))


@login_required
@require_POST
def checkin_open(request, session_id: int):
    session = _session_or_404(request, session_id)
    try:
        services.checkin_open(user=request.user, session_id=session.pk)
    except ClassroomError as error:
        messages.error(request, error.message)
        return redirect("classroom:roster", session_id=session.pk)
    return redirect("classroom:checkin_screen", session_id=session.pk)


@login_required
@require_POST
def checkin_close(request, session_id: int):
    session = _session_or_404(request, session_id)
    services.checkin_close(user=request.user, session_id=session.pk)
    messages.success(request, _("签到已结束，之前显示的二维码和签到码全部失效。"))
    return redirect("classroom:roster", session_id=session.pk)


@login_required
@require_POST
def attendance_mark(request, session_id: int):
    session = _session_or_404(request, session_id)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        raise Http404 from None
    try:
        attendance = services.attendance_mark(by=request.user, session_id=session.pk, user_id=user_id,
                                              status=request.POST.get("status", ""),
                                              reason=request.POST.get("reason", ""))
    except ClassroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已将 %(name)s 登记为“%(status)s”。") % {
            "name": getattr(getattr(attendance.user, "profile", None), "real_name", attendance.user.get_username()),
            "status": attendance.get_status_display()})
    return redirect(reverse("classroom:roster", args=[session.pk]) + f"#member-{user_id}")
