"""Reads of the classroom app. Each function costs a fixed number of queries, whatever the data size."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from classroom import access
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
from learning.api import Enrollment, TrainingClass, class_members, classes_in_scope
from orgs.api import TraineeProfile, in_scope, scope_roots

MIN_RESPONSES = 3  # averages and comments are shown from this many responses, never fewer
PAST_DAYS = 90  # the trainee's list keeps sessions this long after they ended (to evaluate them)


def _with_my_state(sessions: QuerySet, user) -> QuerySet:
    """Annotate what each session's row shows a trainee: places taken, their sign-up, attendance, 评教."""
    mine = Attendance.objects.filter(session=OuterRef("pk"), user=user)
    return sessions.select_related("venue_base", "training_class").annotate(
        signup_count=Count("signups", distinct=True),
        signed_up=Exists(SessionSignup.objects.filter(session=OuterRef("pk"), user=user)),
        my_status=Subquery(mine.values("status")[:1]),
        evaluated=Exists(EvaluationReceipt.objects.filter(session=OuterRef("pk"), user=user)),
    )


def sessions_for_trainee(user, *, upcoming_only: bool = False, limit: int | None = None) -> list[TrainingSession]:
    """Sessions of the trainee's classes — upcoming first, then those that ended in the last PAST_DAYS."""
    now = timezone.now()
    sessions = TrainingSession.objects.filter(training_class_id__in=access.member_class_ids(user))
    if upcoming_only:
        sessions = sessions.filter(ends_at__gte=now)
    else:
        sessions = sessions.filter(ends_at__gte=now - dt.timedelta(days=PAST_DAYS))
    rows = list(_with_my_state(sessions, user).order_by("starts_at", "pk")[:limit] if limit else
                _with_my_state(sessions, user).order_by("starts_at", "pk"))
    for session in rows:
        decorate(session, now)
    return rows


def decorate(session: TrainingSession, now: dt.datetime) -> TrainingSession:
    session.is_over = session.ends_at < now
    session.is_on = session.starts_at <= now <= session.ends_at
    capacity = session.capacity
    session.places_left = None if capacity is None else max(0, capacity - getattr(session, "signup_count", 0))
    session.can_sign_up = (session.signup_open and session.starts_at > now and not getattr(session, "signed_up", False)
                           and (session.places_left is None or session.places_left > 0))
    session.can_cancel = getattr(session, "signed_up", False) and session.starts_at > now
    session.attended = getattr(session, "my_status", None) in Attendance.ATTENDED
    session.can_evaluate = session.is_over and session.attended and not getattr(session, "evaluated", False)
    return session


def session_for_trainee(user, session_id: int) -> TrainingSession | None:
    session = (_with_my_state(TrainingSession.objects.filter(
        pk=session_id, training_class_id__in=access.member_class_ids(user)), user).first())
    return decorate(session, timezone.now()) if session else None


def sessions_at_base(base_page_id: int, *, limit: int = 10) -> dict:
    """Sessions held at a teaching base: the coming ones and the latest past ones (public facts only)."""
    now = timezone.now()
    held = TrainingSession.objects.filter(venue_base_id=base_page_id).select_related("training_class")
    return {
        "upcoming": list(held.filter(ends_at__gte=now).order_by("starts_at", "pk")[:limit]),
        "past": list(held.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:limit]),
    }


# --- trainers and administrators -----------------------------------------------------------------------

def sessions_to_run(user, *, days_back: int = 30) -> list[TrainingSession]:
    """The sessions `user` may run, from `days_back` days ago on, with their counts."""
    since = timezone.now() - dt.timedelta(days=days_back)
    return list(access.sessions_run_by(user).filter(ends_at__gte=since).select_related("training_class", "venue_base",
                                                                                         "trainer")
                .annotate(signup_count=Count("signups", distinct=True),
                          attended_count=Count("attendances", distinct=True,
                                               filter=Q(attendances__status__in=Attendance.ATTENDED)),
                          checkin_open=Exists(CheckinWindow.objects.filter(session=OuterRef("pk"),
                                                                           closed_at__isnull=True)),
                          # their own sessions first: a trainer in the group may run every session
                          theirs=Case(When(trainer=user, then=Value(0)), default=Value(1)))
                .order_by("theirs", "starts_at", "pk")[:200])


def runnable_session(user, session_id: int) -> TrainingSession | None:
    session = (TrainingSession.objects.select_related("training_class__organization", "venue_base", "trainer")
               .filter(pk=session_id).first())
    return session if session is not None and access.may_run(user, session) else None


def open_window(session: TrainingSession) -> CheckinWindow | None:
    return CheckinWindow.objects.filter(session=session, closed_at__isnull=True).first()


def roster(session: TrainingSession, *, viewer) -> QuerySet[TraineeProfile]:
    """The class's members `viewer` may see (access.members_in_view) with their sign-up and attendance
    for this session, by organisation and name."""
    attendance = Attendance.objects.filter(session=session, user=OuterRef("user_id"))
    rows = (TraineeProfile.objects.filter(user_id__in=class_members(session.training_class))
            .select_related("organization")
            .annotate(status=Subquery(attendance.values("status")[:1]),
                      method=Subquery(attendance.values("method")[:1]),
                      checked_in_at=Subquery(attendance.values("checked_in_at")[:1]),
                      credited_hours=Subquery(attendance.values("credited_hours")[:1]),
                      signed_up=Exists(SessionSignup.objects.filter(session=session, user=OuterRef("user_id"))))
            .filter(access.members_in_view(viewer, session, "organization__path"))
            .order_by("organization__path", "real_name", "pk"))
    return rows


def roster_counts(session: TrainingSession, *, viewer) -> dict:
    counts = dict(Attendance.objects.filter(session=session)
                  .filter(access.members_in_view(viewer, session, "user__profile__organization__path"))
                  .order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in Attendance.Status.values}


def changes_of(session: TrainingSession, *, viewer, limit: int = 50) -> list[AttendanceChange]:
    return list(AttendanceChange.objects.filter(attendance__session=session)
                .filter(access.members_in_view(viewer, session, "attendance__user__profile__organization__path"))
                .select_related("changed_by", "attendance__user__profile")[:limit])


# --- the calendar feed ---------------------------------------------------------------------------------

def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_user(token_hash: str):
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash, user__is_active=True).first()
    return feed.user if feed else None


def calendar_sessions(user, *, days_back: int = 60) -> list[TrainingSession]:
    """The trainee's sessions for the calendar: their classes' sessions from `days_back` days ago on."""
    since = timezone.now() - dt.timedelta(days=days_back)
    return list(TrainingSession.objects.filter(training_class_id__in=access.member_class_ids(user), ends_at__gte=since)
                .select_related("venue_base", "training_class", "trainer", "trainer__profile")
                .annotate(signed_up=Exists(SessionSignup.objects.filter(session=OuterRef("pk"), user=user)))
                .order_by("starts_at", "pk")[:500])


# --- 评教 -----------------------------------------------------------------------------------------------

def course_evaluation_state(user, course_id: int) -> dict | None:
    """Whether `user` may rate the course now (completed, not yet rated)."""
    if not user.is_authenticated:
        return None
    completed = Enrollment.objects.filter(user=user, course_id=course_id, completed_at__isnull=False).exists()
    if not completed:
        return None
    return {"evaluated": EvaluationReceipt.objects.filter(user=user, course_id=course_id).exists()}


def evaluation_summary(responses: QuerySet[EvaluationResponse]) -> dict:
    """Averages and comments of some responses — or only their count while fewer than MIN_RESPONSES."""
    figures = responses.aggregate(n=Count("pk"), content=Avg("content_score"), trainer=Avg("trainer_score"),
                                  organisation=Avg("organisation_score"))
    shown = figures["n"] >= MIN_RESPONSES
    return {
        "responses": figures["n"],
        "shown": shown,
        **{key: _one_decimal(figures[key]) if shown else None for key in ("content", "trainer", "organisation")},
    }


def evaluation_comments(responses: QuerySet[EvaluationResponse]) -> list[str]:
    """The non-empty comments, in the random order of their keys (never the order they were written)."""
    if responses.count() < MIN_RESPONSES:
        return []
    return list(responses.exclude(comment="").order_by("pk").values_list("comment", flat=True)[:200])


def _one_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def sessions_evaluated_for(user) -> QuerySet[TrainingSession]:
    """Sessions whose evaluations `user` may read: their own as trainer; an administrator's scope; all for
    superusers. Trainers (the group) see only their own: 评教 is about the person who taught."""
    sessions = TrainingSession.objects.all()
    if not user.is_authenticated:
        return sessions.none()
    if user.is_superuser:
        return sessions
    condition = Q(trainer=user)
    if scope_roots(user):
        condition |= Q(training_class__in=classes_in_scope(user).values("pk"))
    return sessions.filter(condition)


# --- reports (the admin's 签到报表 and 评教报表) ------------------------------------------------------------

def report_sessions(user) -> QuerySet[TrainingSession]:
    """Sessions whose attendance `user` may list: all for trainers and superusers (they run any session),
    the sessions they teach, and an administrator's classes in scope (organised in or drawing members from
    their subtree: the rows themselves are then limited to that subtree)."""
    sessions = TrainingSession.objects.select_related("training_class").order_by("-starts_at", "pk")
    if not user.is_authenticated:
        return sessions.none()
    if access.may_run_everything(user):
        return sessions
    condition = Q(trainer=user)
    if scope_roots(user):
        condition |= Q(training_class__in=classes_in_scope(user).values("pk"))
    return sessions.filter(condition)


def report_classes(user):
    return TrainingClass.objects.filter(pk__in=report_sessions(user).values("training_class_id")).order_by(
        "-starts_on", "name")


def _rows_in_scope(rows: QuerySet[TraineeProfile], user, *, teaches: bool) -> QuerySet[TraineeProfile]:
    """Trainers, superusers and whoever teaches the session (or a session of the class) see every member;
    an administrator only the members inside their subtree."""
    if access.may_run_everything(user) or teaches:
        return rows
    return rows.filter(in_scope(user, "organization__path"))


def attendance_rows(user, session: TrainingSession, *, organization=None) -> QuerySet[TraineeProfile]:
    """One row per member of the session's class (within `user`'s scope) with their attendance."""
    rows = roster(session, viewer=user)
    if organization is not None:
        rows = rows.filter(organization__path__startswith=organization.path)
    return rows


def class_attendance_rows(user, training_class, *, organization=None) -> QuerySet[TraineeProfile]:
    """One row per member of the class (within `user`'s scope): sessions attended, late, absent, 学时."""
    mine = Attendance.objects.filter(session__training_class=training_class, user=OuterRef("user_id")).order_by()

    def count(*statuses):
        return Coalesce(Subquery(mine.filter(status__in=statuses).values("user").annotate(n=Count("pk"))
                                 .values("n")[:1], output_field=IntegerField()), 0)

    rows = (TraineeProfile.objects.filter(user_id__in=class_members(training_class)).select_related("organization")
            .annotate(attended=count(*Attendance.ATTENDED), late=count(Attendance.Status.LATE), absent=count(Attendance.Status.ABSENT),
                      hours=Coalesce(Subquery(mine.values("user").annotate(h=Sum("credited_hours")).values("h")[:1]),
                                     Decimal("0")))
            .order_by("organization__path", "real_name", "pk"))
    rows = _rows_in_scope(rows, user, teaches=TrainingSession.objects.filter(
        training_class=training_class, trainer=user).exists())
    if organization is not None:
        rows = rows.filter(organization__path__startswith=organization.path)
    return rows


def sessions_held(training_class, *, before: dt.datetime | None = None) -> int:
    return TrainingSession.objects.filter(training_class=training_class,
                                          starts_at__lte=before or timezone.now()).count()
