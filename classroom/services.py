"""Writes of the classroom app. Each function is keyword-only and runs in one transaction.

Attendance credits the session's 学时 through learning's ledger, never anywhere else:
- the first credit of an attendance is the entry (kind 课堂签到, object = the attendance row), so a second
  scan, a replay or a race credits nothing twice;
- a trainer's correction that changes what is owed writes one entry of its own (kind 签到更正, object = the
  change row): negative when attendance is removed, positive when it is restored. History is appended,
  never edited or deleted. Both are dated at the attendance itself (the check-in, or the session's start),
  so a correction moves the totals of the week it belongs to and never counts as a day of study.
Present and late both earn the session's credit (late is recorded, not penalised in 学时).
"""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import access, checkin
from classroom.models import (
    Attendance,
    AttendanceChange,
    CalendarFeed,
    CheckinWindow,
    EvaluationReceipt,
    EvaluationResponse,
    SessionSignup,
    TrainingSession,
)
from core.api import DomainError
from learning.api import Enrollment, LedgerKind, attendance_credit, ledger_record
from orgs.api import TraineeProfile

OPEN_BEFORE = dt.timedelta(hours=2)  # check-in may open this long before a session starts…
OPEN_AFTER = dt.timedelta(hours=2)  # …and until this long after it ends
MARK_AFTER = dt.timedelta(days=90)  # hand-made marks and corrections: up to this long after the end
REASON_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 500


class ClassroomError(DomainError):
    status = 409


# --- sign-up -------------------------------------------------------------------------------------------

def _session_for_update(session_id: int) -> TrainingSession:
    # Locks the session row: concurrent sign-ups for the same session queue here, so the count below is
    # the truth when this one inserts (PostgreSQL; SQLite serialises writers anyway).
    session = TrainingSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise ClassroomError("not_found", _("没有找到这次面授课程。"), 404)
    return session


@transaction.atomic
def session_signup(*, user, session_id: int) -> SessionSignup:
    session = _session_for_update(session_id)
    if not access.is_member(user, session):
        raise ClassroomError("not_found", _("没有找到这次面授课程。"), 404)
    existing = SessionSignup.objects.filter(session=session, user=user).first()
    if existing:
        return existing
    if not session.signup_open:
        raise ClassroomError("signup_closed", _("这次面授课程未开放报名。"))
    if session.starts_at <= timezone.now():
        raise ClassroomError("session_started", _("这次面授课程已经开始，不能再报名。"))
    if session.capacity is not None and SessionSignup.objects.filter(session=session).count() >= session.capacity:
        raise ClassroomError("session_full", _("名额已满（共 %(n)d 个名额），报名未成功。") % {"n": session.capacity})
    return SessionSignup.objects.create(session=session, user=user)


@transaction.atomic
def session_signup_cancel(*, user, session_id: int) -> None:
    session = _session_for_update(session_id)
    if session.starts_at <= timezone.now():
        raise ClassroomError("session_started", _("这次面授课程已经开始，不能再取消报名。"))
    deleted, _by_model = SessionSignup.objects.filter(session=session, user=user).delete()
    if not deleted:
        raise ClassroomError("not_signed_up", _("你还没有报名这次面授课程。"))


# --- check-in windows ----------------------------------------------------------------------------------

def _require_runner(user, session: TrainingSession) -> None:
    if not access.may_run(user, session):
        raise ClassroomError("not_found", _("没有找到这次面授课程。"), 404)


@transaction.atomic
def checkin_open(*, user, session_id: int) -> CheckinWindow:
    """Open check-in (or return the window already open)."""
    session = _session_for_update(session_id)
    _require_runner(user, session)
    existing = CheckinWindow.objects.filter(session=session, closed_at__isnull=True).first()
    if existing:
        return existing
    now = timezone.now()
    if now < session.starts_at - OPEN_BEFORE:
        raise ClassroomError("too_early", _("开课前 2 小时内才能开始签到（本次课程 %(t)s 开始）。")
                             % {"t": f"{timezone.localtime(session.starts_at):%m月%d日 %H:%M}"})
    if now > session.ends_at + OPEN_AFTER:
        raise ClassroomError("too_late", _("课程结束已超过 2 小时，不能再开始签到；请在出勤名单中为学员登记出勤。"))
    return CheckinWindow.objects.create(session=session, opened_by=user, opened_at=now)


@transaction.atomic
def checkin_close(*, user, session_id: int) -> int:
    """Close check-in: every code shown so far stops working at once. Returns the windows closed."""
    session = _session_for_update(session_id)
    _require_runner(user, session)
    return CheckinWindow.objects.filter(session=session, closed_at__isnull=True).update(closed_at=timezone.now())


# --- attendance and its credit -------------------------------------------------------------------------

def _credit(attendance: Attendance, session: TrainingSession, *, change: AttendanceChange | None) -> Decimal:
    """Bring the ledger to what this attendance earns now; returns the change in 学时."""
    hours, points = attendance_credit(session.credit_hours) if attendance.attended else (Decimal("0"), 0)
    delta_hours, delta_points = hours - attendance.credited_hours, points - attendance.credited_points
    if not delta_hours and not delta_points:
        return Decimal("0")
    when = attendance.checked_in_at or session.starts_at
    common = {"user_id": attendance.user_id, "occurred_at": when}
    created = False
    if delta_hours >= 0 and delta_points >= 0:
        _entry, created = ledger_record(kind=LedgerKind.ATTEND, object_id=attendance.pk, title=session.title,
                                        credit_hours=delta_hours, points=delta_points, **common)
    if not created:
        if change is None:  # a replayed check-in: the first credit stands, nothing else is owed
            return Decimal("0")
        _entry, created = ledger_record(kind=LedgerKind.ATTEND_FIX, object_id=change.pk,
                                        title=_("%(title)s（更正：%(reason)s）") % {"title": session.title,
                                                                               "reason": change.reason},
                                        credit_hours=delta_hours, points=delta_points, **common)
    if created:
        Attendance.objects.filter(pk=attendance.pk).update(credited_hours=hours, credited_points=points)
        attendance.credited_hours, attendance.credited_points = hours, points
    return delta_hours if created else Decimal("0")


def _status_at(session: TrainingSession, moment: dt.datetime) -> str:
    late_from = session.starts_at + dt.timedelta(minutes=session.late_after_minutes)
    return Attendance.Status.LATE if moment > late_from else Attendance.Status.PRESENT


@transaction.atomic
def checkin_record(*, user, session_id: int, window_id: int, method: str, at: dt.datetime) -> tuple[Attendance, bool]:
    """Mark `user` present (or late) at `at` through an open window: once. Returns (attendance, created)."""
    window = CheckinWindow.objects.select_related("session", "session__training_class").filter(
        pk=window_id, session_id=session_id).first()
    if window is None:
        raise ClassroomError("invalid_code", _("签到码无效，请扫描导师屏幕上的二维码重新签到。"), 400)
    session = window.session
    if (window.closed_at is not None and at > window.closed_at) or at > session.ends_at + OPEN_AFTER:
        raise ClassroomError("checkin_closed", _("本次签到已结束。如确实到场，请联系授课导师登记。"))
    if not access.is_member(user, session):
        raise ClassroomError("not_member", _("你不是“%(name)s”的学员，不能在本次课程签到。")
                             % {"name": session.training_class.name}, 403)
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: a racing second scan leaves this transaction usable
            attendance = Attendance.objects.create(session=session, user=user, status=_status_at(session, at),
                                                   method=method, checked_in_at=at, window=window)
    except IntegrityError:
        return Attendance.objects.get(session=session, user=user), False
    _credit(attendance, session, change=None)
    return attendance, True


def checkin_with_token(*, user, token: str, pending: dict | None = None) -> tuple[Attendance, bool]:
    """The QR code's link. `pending` is what the view kept of this token's scan made before signing in
    ({"s", "w", "at"}): the token has expired by now, but the scan itself was in time."""
    expired = ClassroomError("code_expired", _("这个签到二维码已过期（二维码每隔几秒更换，有效期 %(n)d 秒）。"
                                               "请在课堂现场扫描导师屏幕上正在显示的二维码。")
                             % {"n": checkin.TOKEN_SECONDS}, 400)
    at = timezone.now()
    try:
        try:
            session_id, window_id = checkin.read_token(token)
        except checkin.TokenExpired:
            if not pending:
                raise expired from None
            session_id, window_id = checkin.read_token(token, max_age=checkin.PENDING_SECONDS)
            scanned = dt.datetime.fromisoformat(pending.get("at", ""))
            if (pending.get("s"), pending.get("w")) != (session_id, window_id) or not (
                    at - dt.timedelta(seconds=checkin.PENDING_SECONDS) <= scanned <= at):
                raise expired from None
            at = scanned
    except checkin.TokenExpired:
        raise expired from None
    except (checkin.TokenInvalid, ValueError, TypeError):
        raise ClassroomError("invalid_code", _("签到码无效，请扫描导师屏幕上的二维码重新签到。"), 400) from None
    return checkin_record(user=user, session_id=session_id, window_id=window_id, method=Attendance.Method.QR, at=at)


def checkin_with_code(*, user, code: str) -> tuple[Attendance, bool]:
    """The 6-digit number, checked against the open windows of the trainee's own classes only."""
    code = checkin.normalise_code(code)
    if len(code) != checkin.CODE_DIGITS:
        raise ClassroomError("invalid_code", _("请输入导师屏幕上显示的 6 位数字签到码。"), 400)
    now = timezone.now()
    windows = CheckinWindow.objects.filter(
        session__training_class_id__in=access.member_class_ids(user),
        opened_at__lte=now,
    ).filter(closed_at__isnull=True).values_list("pk", "session_id")
    expired = False
    for window_id, session_id in windows:
        age = checkin.code_age(window_id, code, now)
        if checkin.code_valid(age):
            return checkin_record(user=user, session_id=session_id, window_id=window_id,
                                  method=Attendance.Method.CODE, at=now)
        expired = expired or age is not None
    if expired:
        raise ClassroomError("code_expired", _("这个签到码已过期（签到码每 %(n)d 秒更换）。请输入导师屏幕上正在显示的签到码。")
                             % {"n": checkin.CODE_STEP_SECONDS}, 400)
    raise ClassroomError("invalid_code", _("签到码不正确，或你所在的培训班现在没有正在进行的签到。"), 400)


@transaction.atomic
def attendance_mark(*, by, session_id: int, user_id: int, status: str, reason: str) -> Attendance:
    """A trainer's hand-made mark (someone without a phone) or correction, with its reason; adjusts the
    credit through the ledger with an entry of its own."""
    session = TrainingSession.objects.select_related("training_class__organization").filter(pk=session_id).first()
    if session is None:
        raise ClassroomError("not_found", _("没有找到这次面授课程。"), 404)
    _require_runner(by, session)
    if status not in Attendance.Status.values:
        raise ClassroomError("invalid_status", _("请选择出勤、迟到或缺勤。"), 400)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ClassroomError("reason_required", _("请填写登记或更正的原因，例如“未带手机，现场核实到课”。"), 400)
    if len(reason) > REASON_MAX_LENGTH:
        raise ClassroomError("reason_too_long", _("原因不能超过 %(n)d 个字。") % {"n": REASON_MAX_LENGTH}, 400)
    now = timezone.now()
    if now < session.starts_at - OPEN_BEFORE:
        raise ClassroomError("too_early", _("课程还没有开始，不能登记出勤。"))
    if now > session.ends_at + MARK_AFTER:
        raise ClassroomError("too_late", _("课程结束已超过 90 天，不能再登记或更正出勤。"))
    trainee = get_user_model().objects.filter(pk=user_id).first()
    if trainee is None or not access.is_member(trainee, session) or not TraineeProfile.objects.filter(
            access.members_in_view(by, session, "organization__path"), user=trainee).exists():
        raise ClassroomError("not_member", _("该学员不在本培训班中。"), 404)  # nor, for an administrator, in scope
    attendance = Attendance.objects.select_for_update().filter(session=session, user=trainee).first()
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(session=session, user=trainee, status=status,
                                                       method=Attendance.Method.MANUAL)
        except IntegrityError:  # the trainee scanned at this very moment: correct their row instead
            attendance = Attendance.objects.select_for_update().get(session=session, user=trainee)
            previous = attendance.status
        else:
            previous = ""
    else:
        previous = attendance.status
    if previous == status:
        raise ClassroomError("unchanged", _("该学员已经是“%(status)s”，无需更改。")
                             % {"status": Attendance.Status(status).label}, 400)
    if previous:
        Attendance.objects.filter(pk=attendance.pk).update(status=status, updated_at=now)
        attendance.status = status
    change = AttendanceChange.objects.create(attendance=attendance, changed_by=by, changed_at=now,
                                             from_status=previous, to_status=status, reason=reason)
    delta = _credit(attendance, session, change=change)
    if delta:
        AttendanceChange.objects.filter(pk=change.pk).update(credit_delta=delta)
        change.credit_delta = delta
    return attendance


# --- the personal calendar feed -------------------------------------------------------------------------

def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """A new feed link for `user` (any previous link stops working); returns the token, shown once."""
    token = secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": calendar_token_hash(token),
                                                               "created_at": timezone.now()})
    return token


@transaction.atomic
def calendar_feed_revoke(*, user) -> bool:
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


# --- 评教 -------------------------------------------------------------------------------------------------

def _scores(values: dict) -> dict:
    scores = {}
    for field, label in (("content_score", _("内容")), ("trainer_score", _("讲授")), ("organisation_score", _("组织"))):
        try:
            score = int(values.get(field))
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise ClassroomError("invalid_score", _("请为“%(label)s”打 1 到 5 分。") % {"label": label}, 400)
        scores[field] = score
    comment = (values.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ClassroomError("comment_too_long", _("意见建议不能超过 %(n)d 个字。") % {"n": COMMENT_MAX_LENGTH}, 400)
    return {**scores, "comment": comment}


def _evaluate(*, user, target: dict, values: dict) -> None:
    answer = _scores(values)
    try:
        with transaction.atomic():
            EvaluationReceipt.objects.create(user=user, **target)
    except IntegrityError as exc:
        raise ClassroomError("already_evaluated", _("你已经评价过了，每人只能评价一次。")) from exc
    EvaluationResponse.objects.create(**target, **answer)


@transaction.atomic
def session_evaluate(*, user, session_id: int, values: dict) -> None:
    """Once per trainee, after the session ended, by someone who attended it."""
    session = TrainingSession.objects.filter(pk=session_id).first()
    if session is None or not Attendance.objects.filter(
            session=session, user=user, status__in=Attendance.ATTENDED).exists():
        raise ClassroomError("not_attended", _("只有出勤的学员可以评价这次面授课程。"), 404)
    if session.ends_at > timezone.now():
        raise ClassroomError("not_ended", _("课程结束后才能评价。"))
    _evaluate(user=user, target={"session": session}, values=values)


@transaction.atomic
def course_evaluate(*, user, course_id: int, values: dict) -> None:
    """Once per trainee, after they completed the course."""
    enrollment = Enrollment.objects.filter(user=user, course_id=course_id, completed_at__isnull=False).first()
    if enrollment is None:
        raise ClassroomError("not_completed", _("完成课程后才能评价。"), 404)
    _evaluate(user=user, target={"course_id": course_id}, values=values)
