"""The public surface of `orgs` for other apps: the organisation tree, trainee profiles, administrator
scope (one module: `scoping`), trainers, and the hook that tells other apps when people change
organisation in an import."""

from orgs import scoping
from orgs.middleware import ensure_own_password
from orgs.models import OrgAdminRole, Organization, TraineeProfile
from orgs.scoping import (
    OrgAdminMenuItem,
    can_manage,
    in_scope,
    is_org_admin,
    is_trainer,
    is_trainer_or_reviewer,
    organizations_in_scope,
    scope_roots,
    trainees_in_scope,
    under,
)
from orgs.selectors import rolled_up
from orgs.services import password_changed, register_members_moved

__all__ = [
    "OrgAdminMenuItem", "OrgAdminRole", "Organization", "TraineeProfile", "can_manage", "ensure_own_password", "in_scope", "is_org_admin", "is_trainer", "is_trainer_or_reviewer",
    "organizations_in_scope", "password_changed", "register_members_moved", "rolled_up", "scope_roots", "scoping",
    "trainees_in_scope", "under",
]
