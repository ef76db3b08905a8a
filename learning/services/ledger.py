"""The one function that credits an activity to the ledger (学习台账)."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from learning.models import LedgerEntry


def ledger_record(
    *, user_id: int, kind: str, object_id: int, title: str, credit_hours: Decimal, points: int,
    occurred_at: dt.datetime,
) -> tuple[LedgerEntry, bool]:
    """Credit once. A replay, a double click or a concurrent duplicate returns the existing entry."""
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the caller's transaction usable
            entry = LedgerEntry.objects.create(
                user_id=user_id, kind=kind, object_id=object_id, title=title[:255],
                credit_hours=credit_hours, points=points, occurred_at=occurred_at,
            )
    except IntegrityError:
        return LedgerEntry.objects.get(user_id=user_id, kind=kind, object_id=object_id), False
    # After commit: the growth record follows. If this enqueue is lost, the catch-up job finds the
    # trainee's ledger ahead of their record's watermark and refreshes it anyway.
    transaction.on_commit(lambda: _enqueue_growth_refresh(user_id))
    return entry, True


def _enqueue_growth_refresh(user_id: int) -> None:
    from learning.tasks import enqueue_growth_refresh

    enqueue_growth_refresh(user_id)
