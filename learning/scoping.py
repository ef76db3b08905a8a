"""Administrator scope: every query an administrator makes is filtered here, in one place.

An administrator holds one or more `OrgAdminRole`s; each covers that organisation's whole subtree
(treebeard materialised paths, so a subtree is one indexed `path LIKE 'prefix%'`). Superusers see
everything.
"""

from django.db.models import Q, QuerySet

from learning.models import Certificate, JournalEntry, OrgAdminRole, Organization, TraineeProfile


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


# Trainers (培训导师) and content reviewers (内容审核) evaluate every trainee's journal, whatever their
# organisation; administrators only their subtree's.
TRAINER_GROUPS = ("培训导师", "内容审核")


def is_trainer(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=TRAINER_GROUPS).exists()


def journal_entries_in_scope(user) -> QuerySet[JournalEntry]:
    """Journal entries `user` may read and review: all for trainers, their subtree's authors for administrators."""
    if is_trainer(user):
        return JournalEntry.objects.all()
    roots = scope_roots(user)
    if roots is None:
        return JournalEntry.objects.all()
    if not roots:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(_path_filter(roots, "user__profile__organization__path"))


def certificates_in_scope(user) -> QuerySet[Certificate]:
    """Certificates whose holder lies in `user`'s subtree (all for superusers; none for others)."""
    roots = scope_roots(user)
    if roots is None:
        return Certificate.objects.all()
    if not roots:
        return Certificate.objects.none()
    return Certificate.objects.filter(_path_filter(roots, "user__profile__organization__path"))
