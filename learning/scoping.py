"""Administrator scope: every query an administrator makes is filtered here, in one place.

An administrator holds one or more `OrgAdminRole`s; each covers that organisation's whole subtree
(treebeard materialised paths, so a subtree is one indexed `path LIKE 'prefix%'`). Superusers see
everything.
"""

from django.db.models import Q, QuerySet

from learning.models import OrgAdminRole, Organization, TraineeProfile


def scope_roots(user) -> list[Organization] | None:
    """The organisations whose subtrees `user` manages; None means everything (superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return [role.organization for role in OrgAdminRole.objects.filter(user=user).select_related("organization")]


def is_org_admin(user) -> bool:
    roots = scope_roots(user)
    return roots is None or bool(roots)


def _path_filter(roots: list[Organization], field: str) -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(**{f"{field}__startswith": root.path})
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
