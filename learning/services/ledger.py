"""The one function that credits an activity to the ledger (学习台账)."""

import datetime as dt
from collections.abc import Callable
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
    # After commit, what follows the ledger (growth records, certificates) hears of the entry. The
    # ledger is their outbox: if a listener's enqueue is lost, its catch-up job finds the entry anyway.
    for listener in _listeners:
        transaction.on_commit(lambda listener=listener: listener(entry))
    return entry, True


_listeners: list[Callable[[LedgerEntry], None]] = []


def register_ledger_listener(listener: Callable[[LedgerEntry], None]) -> None:
    """Call `listener(entry)` after each new ledger entry commits (apps above learning, in `ready()`).
    It must not raise and should only enqueue work: it runs in the request that credited."""
    _listeners.append(listener)
