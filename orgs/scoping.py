"""Administrator scope: every query an administrator makes is filtered here, in one place.

An administrator holds one or more `OrgAdminRole`s; each covers that organisation's whole subtree
(treebeard materialised paths, so a subtree is one indexed `path LIKE 'prefix%'`). Superusers see
everything.
"""

from django.db.models import Q, QuerySet
from wagtail.admin.menu import MenuItem

from orgs.models import OrgAdminRole, Organization, TraineeProfile


def scope_roots(user) -> list[Organization] | None:
    """The organisations whose subtrees `user` manages; None means everything (superuser).

    Remembered on the user object, which lives for one request (every admin menu item asks)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_scope_roots", None)
    if cached is None:
        cached = [role.organization for role in OrgAdminRole.objects.filter(user=user).select_related("organization")]
        user._scope_roots = cached
    return list(cached)


def is_org_admin(user) -> bool:
    roots = scope_roots(user)
    return roots is None or bool(roots)


def _path_filter(roots: list[Organization], field: str) -> Q:
    return under([root.path for root in roots], field)


def in_scope(user, path_field: str) -> Q:
    """The filter "lies in `user`'s subtrees" for any model, given the lookup of its organisation's path
    (e.g. "user__profile__organization__path"); everything for superusers, nothing for non-administrators."""
    roots = scope_roots(user)
    return Q() if roots is None else _path_filter(roots, path_field)


def under(paths: list[str], path_field: str = "organization__path") -> Q:
    """The filter "lies in the subtree of one of these organisation paths" (class membership)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def organizations_in_scope(user) -> QuerySet[Organization]:
    roots = scope_roots(user)
    qs = Organization.objects.all()
    return qs if roots is None else qs.filter(_path_filter(roots, "path"))


def trainees_in_scope(user) -> QuerySet[TraineeProfile]:
    roots = scope_roots(user)
    qs = TraineeProfile.objects.select_related("user", "organization")
    return qs if roots is None else qs.filter(_path_filter(roots, "organization__path"))


def can_manage(user, organization: Organization) -> bool:
    roots = scope_roots(user)
    return roots is None or any(organization.path.startswith(root.path) for root in roots)


# The two staff roles beside administrators, whatever their organisation:
# - trainers (培训导师) teach: they see every trainee's growth record and certificates;
# - content reviewers (内容审核) check content before it is published.
# Both evaluate every trainee's journal (administrators only their subtree's).
TRAINER_GROUP = "培训导师"
REVIEWER_GROUP = "内容审核"


def _in_groups(user, *names: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=names).exists()


def is_trainer(user) -> bool:
    return _in_groups(user, TRAINER_GROUP)


def is_trainer_or_reviewer(user) -> bool:
    """Reviews every trainee's journal."""
    return _in_groups(user, TRAINER_GROUP, REVIEWER_GROUP)


class OrgAdminMenuItem(MenuItem):
    """An admin menu entry shown to organisation administrators (and superusers) only."""

    def is_shown(self, request):
        return is_org_admin(request.user)
