"""Account writes: the first-login password change."""

from django.db import transaction

from learning.models import TraineeProfile


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: stop sending them to the password change page."""
    TraineeProfile.objects.filter(user_id=user.pk, must_change_password=True).update(must_change_password=False)
