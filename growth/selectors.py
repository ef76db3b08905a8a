"""Reads for the growth page (成长档案, /me/growth/): the yearly growth record, a workday calendar of
the month, the weekly 学时 chart, certificates and reviewed journals — a fixed number of queries.

The page reads the projections (GrowthRecord, GrowthSnapshot) written by `growth.services`;
it never recomputes them from the ledger on a request.
"""

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank, TruncDate
from django.utils import timezone

from certificates.api import certificates_of
from core.api import calendar as workdays
from core.api import charts, local_days, streaks_enabled, year_days
from growth.models import GrowthRecord, GrowthSnapshot
from learning.api import JournalEntry, LedgerEntry, TrainingClass, report_trainees, rule
from orgs.api import Organization, TraineeProfile, scoping

CHART_WEEKS = 12
JOURNAL_LIMIT = 20


def can_view_growth(viewer, profile: TraineeProfile) -> bool:
    """The trainee, trainers (and superusers), and administrators whose subtree holds the trainee."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == profile.user_id or viewer.is_superuser:
        return True
    if scoping.is_trainer(viewer):
        return True
    return scoping.can_manage(viewer, profile.organization)


def trainee_profile(user_id: int) -> TraineeProfile | None:
    return TraineeProfile.objects.select_related("user", "organization").filter(user_id=user_id).first()


def growth_record(user_id: int, year: int) -> tuple[GrowthRecord, bool]:
    """The stored record, or an unsaved one of zeros (with the configured target) and False."""
    record = GrowthRecord.objects.filter(user_id=user_id, year=year).first()
    if record is not None:
        return record, True
    return GrowthRecord(user_id=user_id, year=year, target_hours=Decimal(rule("annual_target_hours"))), False


def record_years(user_id: int) -> list[int]:
    return list(GrowthRecord.objects.filter(user_id=user_id).order_by("-year").values_list("year", flat=True))


def reference_day(year: int, today: dt.date) -> dt.date:
    """The day the page looks from: today in the current year, else the end (or start) of that year."""
    if year == today.year:
        return today
    first, last = year_days(year)
    return last if year < today.year else first


def live_streak(record: GrowthRecord, today: dt.date) -> int:
    """The stored streak, unless a whole workday has passed since it last grew (the record is refreshed
    when the trainee studies, so a broken streak would otherwise linger until the nightly rebuild)."""
    if not record.current_streak or record.streak_last_day is None:
        return 0
    if record.year != today.year:
        return record.current_streak
    previous = workdays.previous_workdays(today, 1)
    return record.current_streak if previous and record.streak_last_day >= previous[0] else 0


def month_calendar(user_id: int, day: dt.date, today: dt.date) -> dict:
    """Weeks (Monday first) of `day`'s month: each cell says workday or not, studied or not — two queries
    (the ledger's active days, the workday overrides of the month)."""
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    low, high = workdays.local_days(first, last)
    active = set(
        LedgerEntry.objects.filter(
            user_id=user_id,
            occurred_at__gte=low, occurred_at__lt=high,
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    working = set(workdays.workdays_between(first, last))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([
            {
                "date": date, "workday": date in working, "active": date in active,
                "today": date == today, "future": date > today,
            } if date.month == first.month else None
            for date in week
        ])
    return {
        "month": first, "weeks": weeks,
        "active_workdays": sum(1 for date in active if date in working),
        "workdays_so_far": sum(1 for date in working if date <= today),
    }


def weekly_chart(user_id: int, day: dt.date, weeks: int = CHART_WEEKS) -> dict:
    """学时 of the `weeks` ISO weeks up to `day`'s, from the weekly snapshots (one query)."""
    last_monday = day - dt.timedelta(days=day.weekday())
    mondays = [last_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    hours = dict(
        GrowthSnapshot.objects.filter(user_id=user_id, week_start__range=(mondays[0], last_monday))
        .values_list("week_start", "credit_hours")
    )
    points = [
        (f"{m.month}/{m.day}", f"{m.month}月{m.day}日这一周", hours.get(m, Decimal("0")))
        for m in mondays
    ]
    chart = charts.bar_chart(points)
    chart["weeks"] = weeks
    chart["rows"] = [{"label": long, "value": charts.format_hours(value)} for _short, long, value in points]
    return chart


def journals_of(user_id: int, year: int, limit: int = JOURNAL_LIMIT) -> list[JournalEntry]:
    """The year's latest journal entries with their reviews (and reviewers), in one query."""
    low, high = local_days(*year_days(year))
    return list(
        JournalEntry.objects.filter(user_id=user_id, created_at__gte=low, created_at__lt=high)
        .select_related("page", "review", "review__reviewer")
        .order_by("-created_at", "-id")[:limit]
    )


def growth_page(user_id: int, year: int, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    day = reference_day(year, today)
    record, stored = growth_record(user_id, year)
    return {
        "year": year,
        "years": sorted({*record_years(user_id), today.year, year}, reverse=True),
        "record": record,
        "record_stored": stored,
        "hours": {  # 学时 as people write them: 12.5, not 12.50
            "done": charts.format_hours(record.credit_hours),
            "target": charts.format_hours(record.target_hours),
            "left": charts.format_hours(max(Decimal("0"), record.target_hours - record.credit_hours)),
        },
        "streak": live_streak(record, today),
        "calendar": month_calendar(user_id, day, today),
        "chart": weekly_chart(user_id, day),
        "certificates": certificates_of(user_id),
        "journals": journals_of(user_id, year),
        "journal_limit": JOURNAL_LIMIT,
    }


def shown_streak(user) -> int | None:
    """The streak the pages and the API show: None when the deployment switched streaks off (合规开关)."""
    return current_streak(user) if streaks_enabled() else None


def current_streak(user, today: dt.date | None = None) -> int:
    """Consecutive workdays with study, from the growth record (学员成长库).

    The record is refreshed when the trainee studies; a streak whose last day is before the previous
    workday has lapsed since, even if no refresh has run yet (the nightly rebuild also zeroes it)."""
    today = today or timezone.localdate()
    record = GrowthRecord.objects.filter(user=user, year=today.year).only(
        "current_streak", "streak_last_day").first()
    if record is None or not record.current_streak or record.streak_last_day is None:
        return 0
    previous = workdays.previous_workdays(today, 1)
    if record.streak_last_day < today and previous and record.streak_last_day < previous[-1]:
        return 0
    return record.current_streak


# --- 学时排行 (admin report) --------------------------------------------------------------------------

def hours_ranking_rows(user, *, start: dt.date, end: dt.date, organization: Organization | None = None,
                       training_class: TrainingClass | None = None) -> QuerySet[TraineeProfile]:
    """Trainees in scope ranked by 学时 over the weekly snapshots whose Monday lies in [start, end]
    (`rank` ties share a place: 1, 2, 2, 4), with 积分 and 学习次数 from the same weeks."""
    weeks = GrowthSnapshot.objects.filter(user_id=OuterRef("user_id"), week_start__gte=start, week_start__lte=end)

    def weekly(field: str, output):
        total = weeks.order_by().values("user_id").annotate(total=Sum(field)).values("total")
        return Coalesce(Subquery(total, output_field=output), Value(0, output_field=output), output_field=output)

    hours_field = DecimalField(max_digits=12, decimal_places=2)
    return (report_trainees(user, organization=organization, training_class=training_class)
            .annotate(hours=weekly("credit_hours", hours_field), points=weekly("points", IntegerField()),
                      activities=weekly("activities", IntegerField()))
            .annotate(rank=Window(Rank(), order_by=[F("hours").desc(), F("points").desc()]))
            .order_by("-hours", "-points", "organization__path", "real_name", "pk"))
