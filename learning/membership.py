"""Training-class membership and which classes an administrator sees: the one place these rules live.

A class's members are its named members plus everyone whose organisation lies in one of its member
organisations' subtrees. Classes live in learning, so membership does too; the organisation tree and
the subtree filters come from `orgs.api`.

Two questions about an administrator and classes, with two answers on purpose:
- `classes_in_scope` — may *see* (reports, the journal filter): the class is organised in, or draws
  members from, their subtree — a member organisation inside it or above it (a city-wide class
  touches a district), or a named member inside it;
- `classes_organised_in_scope` — may *edit* (the class snippet): it is organised inside their subtree.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from learning.models import TrainingClass
from orgs.api import Organization, TraineeProfile, organizations_in_scope, scope_roots, under


def members_condition(class_id: int, member_paths: list[str]) -> Q:
    """The filter on users "named in the class, or under one of its member organisations' paths"."""
    return Q(named_classes=class_id) | under(member_paths, "profile__organization__path")


def members(training_class: TrainingClass, member_paths: list[str] | None = None) -> QuerySet:
    """The class's members — trainees, active or not — as a distinct sub-select of user ids.

    Pass `member_paths` when they were fetched in bulk; otherwise they come from the (prefetchable)
    `member_organizations`."""
    if member_paths is None:
        member_paths = [org.path for org in training_class.member_organizations.all()]
    return (get_user_model().objects.filter(members_condition(training_class.pk, member_paths), profile__isnull=False)
            .order_by().values("pk").distinct())


def classes_of(user_id: int) -> list[TrainingClass]:
    """The classes `user_id` belongs to: named, or through a member organisation at or above theirs."""
    profile = TraineeProfile.objects.filter(user_id=user_id).select_related("organization").first()
    condition = Q(member_users=user_id)
    if profile:
        condition |= Q(member_organizations__path__in=profile.organization.ancestor_paths())
    return list(TrainingClass.objects.filter(condition).distinct())


def classes_gaining(organizations: list[Organization]) -> list[int]:
    """Ids of the classes whose membership grows when people arrive in `organizations`."""
    paths = sorted({path for org in organizations for path in org.ancestor_paths()})
    class_ids: set[int] = set()
    for start in range(0, len(paths), 500):
        class_ids.update(TrainingClass.objects.filter(member_organizations__path__in=paths[start:start + 500])
                         .values_list("pk", flat=True))
    return sorted(class_ids)


def classes_in_scope(user) -> QuerySet[TrainingClass]:
    """Classes `user` may see: organised in, or drawing members from, their subtrees (all for superusers)."""
    roots = scope_roots(user)
    classes = TrainingClass.objects.order_by("-starts_on", "name")
    if roots is None:
        return classes.all()
    if not roots:
        return classes.none()
    condition = Q(pk__in=[])
    for root in roots:
        condition |= (Q(organization__path__startswith=root.path)
                      | Q(member_organizations__path__startswith=root.path)
                      | Q(member_organizations__path__in=root.ancestor_paths())
                      | Q(member_users__profile__organization__path__startswith=root.path))
    return classes.filter(pk__in=TrainingClass.objects.filter(condition).values("pk"))


def classes_organised_in_scope(user) -> QuerySet[TrainingClass]:
    """Classes `user` may edit: organised by an organisation in their subtrees (all for superusers)."""
    if user is None or not user.is_authenticated:
        return TrainingClass.objects.none()
    if user.is_superuser:
        return TrainingClass.objects.all()
    return TrainingClass.objects.filter(organization__in=organizations_in_scope(user))
