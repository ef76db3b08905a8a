"""The credit rules (学时 and 积分 per activity, completion thresholds, heartbeat limits), in one place.

Defaults live here; a deployment overrides any of them with the COLLEGE_RULES setting, e.g.
COLLEGE_RULES = {"daily_points": 2}.
"""

from decimal import Decimal

from django.conf import settings

DEFAULTS = {
    "daily_credit_hours": Decimal("0.25"),  # 八点半课堂: one daily lesson
    "daily_points": 1,
    "lesson_points": 2,  # a lesson's 学时 is its own declared credit_hours
    "course_points": 10,  # a course's 学时 is the sum of its lessons; completing it adds points only
    "quiz_credit_hours": Decimal("0.5"),
    "quiz_points": 2,
    "video_completion_ratio": 0.9,  # share of a video's duration watched for real
    "heartbeat_interval_seconds": 30,  # the player beats this often, plus on pause, end and page hide
    "heartbeat_slack_seconds": 5,  # network jitter tolerated on top of wall time between beats
    "heartbeat_max_watched_seconds": 120,  # any single beat claiming more is malformed
    "heartbeat_rate": "30/m",  # per user, across lessons
    "case_credit_hours": Decimal("0.25"),  # a case read for its minimum time
    "case_points": 1,
    "case_min_reading_seconds": 120,
    "daily_points_cap": 10,  # 积分 per calendar day: points measure steady study, not one binge
    "annual_target_hours": Decimal("50"),  # 学时 per year
    "journal_credit_hours": Decimal("0.25"),  # 个人日志: credited once, when a reviewer first approves it
    "journal_points": 2,
    # 线下集中培训: attendance (present or late) credits the session's own declared credit_hours
    "attendance_points": 2,
}


def rule(name: str):
    overrides = settings.COLLEGE_RULES
    return overrides.get(name, DEFAULTS[name])


def day_points(points: int | None) -> int:
    """积分 one calendar day counts for: what the ledger credited that day, up to the daily cap. The one
    meaning of a trainee's 积分 (我的学习, 台账, 成长档案, the API and the statistics all use it)."""
    return min(points or 0, rule("daily_points_cap"))


def lesson_credit(credit_hours: Decimal) -> tuple[Decimal, int]:
    return Decimal(credit_hours), rule("lesson_points")


def daily_credit() -> tuple[Decimal, int]:
    return Decimal(rule("daily_credit_hours")), rule("daily_points")


def course_credit() -> tuple[Decimal, int]:
    return Decimal("0"), rule("course_points")


def quiz_credit() -> tuple[Decimal, int]:
    return Decimal(rule("quiz_credit_hours")), rule("quiz_points")


def case_credit() -> tuple[Decimal, int]:
    return Decimal(rule("case_credit_hours")), rule("case_points")


def journal_credit() -> tuple[Decimal, int]:
    return Decimal(rule("journal_credit_hours")), rule("journal_points")


def attendance_credit(credit_hours: Decimal) -> tuple[Decimal, int]:
    """学时 and 积分 for attending a classroom session: the session's declared hours, plus points."""
    return Decimal(credit_hours), rule("attendance_points")
