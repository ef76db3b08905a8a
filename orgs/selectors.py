"""Reads over the organisation tree that several apps share."""

from collections import defaultdict
from collections.abc import Iterable

from orgs.models import Organization


def rolled_up(rows: Iterable[dict], key: str, fields: Iterable[str]) -> dict[str, dict]:
    """Per-organisation figures summed into the organisation and every one above it, in one pass.

    `rows` carry an organisation path under `key` and numbers under `fields` (None counts 0); the
    result maps each path reached to its subtree's totals."""
    fields = tuple(fields)
    totals: dict[str, dict] = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows:
        if not row[key]:
            continue
        for path in Organization.paths_above(row[key]):
            bucket = totals[path]
            for field in fields:
                bucket[field] += row[field] or 0
    return totals
