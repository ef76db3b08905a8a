"""Exam scores for reports, provided by another app (assessments registers its final exams) so that
`learning` never imports it."""

from collections.abc import Callable
from decimal import Decimal

_providers: list[Callable] = []


def register_exam_scores(provider: Callable) -> Callable:
    """`provider(user_ids, course_ids) -> {user_id: Decimal percent}`: each user's exam score over the
    given courses (`user_ids` may be a list or a `values("pk")` sub-select)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def exam_scores(user_ids, course_ids: list[int]) -> dict[int, Decimal]:
    scores: dict[int, Decimal] = {}
    for provider in _providers:
        scores.update(provider(user_ids, course_ids))
    return scores
