"""Extra conditions for completing a page, registered by other apps (assessments registers "its
quiz is answered/passed") so that `learning` never imports them."""

from collections.abc import Callable

_requirements: list[Callable] = []


def register_completion_requirement(requirement: Callable) -> Callable:
    """`requirement(user, page) -> bool`; every registered one must hold for `page` to complete."""
    if requirement not in _requirements:
        _requirements.append(requirement)
    return requirement


def requirements_met(user, page) -> bool:
    return all(requirement(user, page) for requirement in _requirements)
