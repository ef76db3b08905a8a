"""Writes of orgs: the bulk trainee import (all rows or none, re-validated inside the transaction that
writes them) and the first-login password change."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.api import DomainError
from orgs.imports import Action, ParsedFile, RowError, validate_rows
from orgs.models import Organization, TraineeProfile

BATCH_SIZE = 500


class TraineeImportError(DomainError):
    """Nothing was imported: `errors` lists every bad row (empty when the database changed meanwhile)."""

    code = "import_refused"

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message=message)
        self.errors = errors or []


def initial_password() -> str:
    """The one initial password of imported accounts, told to the administrator on the preview page."""
    return settings.COLLEGE_INITIAL_PASSWORD


def trainee_import(*, admin_user, parsed: ParsedFile) -> dict[str, int]:
    """Create, update or leave unchanged every row of `parsed`; on any error nothing is saved.

    New accounts: username = phone, the shared initial password (hashed once for the whole batch) and
    `must_change_password`, so each person chooses their own at first login. Existing trainees are
    found by phone and updated (name, organisation, and position / joined date when given).
    """
    try:
        with transaction.atomic():
            return _import(admin_user=admin_user, parsed=parsed)
    except IntegrityError as exc:  # a concurrent import or edit took a phone between preview and commit
        raise TraineeImportError(_("导入期间学员数据被其他人修改，未导入任何数据，请重新上传预览。")) from exc


def _import(*, admin_user, parsed: ParsedFile) -> dict[str, int]:
    plan = validate_rows(admin_user=admin_user, parsed=parsed)
    if not plan.ok:
        raise TraineeImportError(
            _("文件中有 %(count)s 处错误，未导入任何数据。") % {"count": len(plan.errors)}, plan.errors
        )
    creates = [row for row in plan.rows if row.action == Action.CREATE]
    updates = [row for row in plan.rows if row.action == Action.UPDATE]

    user_model = get_user_model()
    if creates:
        password_hash = make_password(initial_password())
        user_model.objects.bulk_create(
            [user_model(username=row.phone, first_name=row.real_name[:150], password=password_hash) for row in creates],
            batch_size=BATCH_SIZE,
        )
        user_ids: dict[str, int] = {}
        phones = [row.phone for row in creates]
        for start in range(0, len(phones), BATCH_SIZE):
            user_ids.update(user_model.objects.filter(username__in=phones[start:start + BATCH_SIZE])
                            .values_list("username", "pk"))
        TraineeProfile.objects.bulk_create(
            [
                TraineeProfile(
                    user_id=user_ids[row.phone], real_name=row.real_name, phone=row.phone,
                    organization=row.organization, position=row.position or TraineeProfile.Position.WORKER,
                    joined_on=row.joined_on, must_change_password=True,
                )
                for row in creates
            ],
            batch_size=BATCH_SIZE,
        )

    if updates:
        profiles, renamed_users = [], []
        for row in updates:
            profile = row.profile
            if profile.real_name != row.real_name:
                profile.user.first_name = row.real_name[:150]
                renamed_users.append(profile.user)
            profile.real_name = row.real_name
            profile.organization = row.organization
            if row.position is not None:
                profile.position = row.position
            if row.joined_on is not None:
                profile.joined_on = row.joined_on
            profiles.append(profile)
        TraineeProfile.objects.bulk_update(
            profiles, ["real_name", "organization", "position", "joined_on"], batch_size=BATCH_SIZE
        )
        if renamed_users:
            user_model.objects.bulk_update(renamed_users, ["first_name"], batch_size=BATCH_SIZE)

    _tell_members_moved([row.organization for row in creates + updates
                            if row.action == Action.CREATE or "organization" in row.changes])
    return plan.counts


# Called inside the import's transaction with the organisations that gained people, so that what hangs
# on membership (learning's training classes enroll them in their required courses) is there at once.
_members_moved: list[Callable[[list[Organization]], None]] = []


def register_members_moved(callback: Callable[[list[Organization]], None]) -> None:
    _members_moved.append(callback)


def _tell_members_moved(organizations: list[Organization]) -> None:
    if organizations:
        for callback in _members_moved:
            callback(organizations)


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: stop sending them to the password change page."""
    TraineeProfile.objects.filter(user_id=user.pk, must_change_password=True).update(must_change_password=False)
