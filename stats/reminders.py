"""The 「发送提醒」 button of 今日未学."""

import datetime as dt

from django.utils import timezone

from learning.api import remind_not_done
from notifications.api import NotifyResult
from orgs.api import Organization
from stats.selectors import absent_trainees


def send_absent_reminder(*, organization: Organization, now: dt.datetime) -> tuple[NotifyResult, int]:
    """Remind exactly the trainees of `organization`'s subtree who have not finished today's lesson.
    Same kind and reason as the afternoon reminder, so nobody is reminded twice a day whichever comes
    first. Returns (result, how many trainees were not done)."""
    today = timezone.localdate(now)
    lesson, absent = absent_trainees(organization, today)
    if lesson is None:
        return NotifyResult(), 0
    return remind_not_done(absent.values("user_id"), today, lesson), absent.count()
