"""Who may run a session (open check-in, mark attendance, see its attendance list): one rule, here.

- the session's own trainer (授课导师);
- anyone in the trainers group (培训导师: a colleague stands in for the trainer);
- an administrator whose scope contains the organisation that organises the session's class;
- superusers.
Lists of sessions apply the same rule as a filter, so a list never shows what a page would refuse.
"""

from django.db.models import Q, QuerySet

from classroom.models import TrainingSession
from learning.api import classes_of
from orgs.api import can_manage, in_scope, is_org_admin, is_trainer, scope_roots


def may_run(user, session: TrainingSession) -> bool:
    if not user.is_authenticated:
        return False
    if session.trainer_id == user.pk or is_trainer(user):
        return True
    roots = scope_roots(user)
    return bool(roots) and can_manage(user, session.training_class.organization)


def may_run_everything(user) -> bool:
    """Trainers (and superusers) run any session and see every member of its class."""
    return is_trainer(user)


def sees_every_member(user, session: TrainingSession) -> bool:
    """Whoever teaches the session, trainers and superusers see (and mark) every member of its class; an
    administrator only the members inside their subtree."""
    return session.trainer_id == user.pk or may_run_everything(user)


def members_in_view(user, session: TrainingSession, path_field: str) -> Q:
    """The members of `session`'s class that `user` may see, as a filter on `path_field` (the member's
    organisation path as seen from the rows being filtered)."""
    return Q() if sees_every_member(user, session) else in_scope(user, path_field)


def sessions_run_by(user) -> QuerySet[TrainingSession]:
    """Every session `user` may run, as a filter (the same rule as `may_run`)."""
    sessions = TrainingSession.objects.all()
    if not user.is_authenticated:
        return sessions.none()
    if is_trainer(user):
        return sessions
    condition = Q(trainer=user)
    if scope_roots(user):
        condition |= in_scope(user, "training_class__organization__path")
    return sessions.filter(condition)


def member_class_ids(user) -> set[int]:
    """The classes whose sessions `user` attends (learning's one rule of class membership)."""
    return {training_class.pk for training_class in classes_of(user.pk)}


def is_member(user, session: TrainingSession) -> bool:
    return user.is_authenticated and session.training_class_id in member_class_ids(user)


def may_see_reports(user) -> bool:
    """The admin's 签到报表 and 评教报表: administrators, trainers (their sessions) and superusers."""
    return user.is_authenticated and (is_trainer(user) or is_org_admin(user)
                                      or TrainingSession.objects.filter(trainer=user).exists())
