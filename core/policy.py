"""The deployment's policy switches (core.models.CollegePolicy, edited under 设置 › 合规开关): one read
per request (Wagtail caches it on the request) or per job."""

from core.models import CollegePolicy


def policy(request=None) -> CollegePolicy:
    return CollegePolicy.load(request_or_site=request)


def rankings_enabled(request=None) -> bool:
    return policy(request).rankings_enabled


def streaks_enabled(request=None) -> bool:
    return policy(request).streaks_enabled


def timed_reminders_enabled() -> bool:
    return policy().timed_reminders_enabled
