"""Growth records: caps, workday streaks across holidays and the new year, the outbox catch-up, and
the property that the incremental path always equals a full rebuild."""

import datetime as dt
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import WorkdayOverride
from growth import services as growth
from growth.models import GrowthRecord, GrowthSnapshot
from learning.models import LedgerEntry
from learning.services.ledger import ledger_record

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
_ids = iter(range(10_000_000, 99_999_999))


def credit(user, day: dt.date, *, kind="lesson", hours="0.5", points=2, hour=10):
    entry, _ = ledger_record(user_id=user.pk, kind=kind, object_id=next(_ids), title="测试",
                             credit_hours=Decimal(hours), points=points,
                             occurred_at=dt.datetime.combine(day, dt.time(hour), tzinfo=SH))
    return entry


def record(user, year=2026):
    return GrowthRecord.objects.get(user=user, year=year)


@pytest.fixture
def user():
    return User.objects.get(username="trainee02")


def test_totals_counts_and_the_daily_points_cap(user):
    with time_machine.travel(dt.datetime(2026, 11, 27, 18, tzinfo=SH), tick=False):
        for _ in range(8):  # 16 points in one day: capped at 10
            credit(user, dt.date(2026, 11, 24))
        credit(user, dt.date(2026, 11, 25), kind="daily", hours="0.25", points=1)
        credit(user, dt.date(2026, 11, 26), kind="quiz", hours="0.5", points=2)
        growth.growth_refresh(user_id=user.pk)
    rec = record(user)
    assert rec.credit_hours == Decimal("4.75")
    assert rec.points == 10 + 1 + 2
    assert (rec.lesson_count, rec.daily_count, rec.quiz_count) == (8, 1, 1)
    assert rec.target_hours == Decimal("50") and rec.target_percent == 9
    assert rec.last_entry_id == LedgerEntry.objects.filter(user=user).latest("id").pk
    assert GrowthSnapshot.objects.get(user=user, week_start=dt.date(2026, 11, 23)).points == 13


def test_a_holiday_never_breaks_a_streak_and_an_adjusted_saturday_counts(user):
    # 09-30 (Wed) → National Day holiday 10-01..10-07 → 10-08, 10-09 → 10-10 is a 调休 Saturday.
    with time_machine.travel(dt.datetime(2026, 10, 10, 20, tzinfo=SH), tick=False):
        for day in (dt.date(2026, 9, 29), dt.date(2026, 9, 30), dt.date(2026, 10, 8), dt.date(2026, 10, 9),
                    dt.date(2026, 10, 10)):
            credit(user, day)
        growth.growth_refresh(user_id=user.pk)
    assert record(user).current_streak == 5
    with time_machine.travel(dt.datetime(2026, 10, 13, 20, tzinfo=SH), tick=False):
        growth.growth_refresh(user_id=user.pk)  # Monday 10-12 missed: the streak is broken
    assert record(user).current_streak == 0 and record(user).longest_streak == 5


def test_a_streak_runs_from_2026_into_2027_over_the_computed_new_year_holiday(user):
    # No override: 2027-01-01 is 元旦 by the statutory rule (chinesecalendar stops at 2026).
    with time_machine.travel(dt.datetime(2027, 1, 4, 20, tzinfo=SH), tick=False):
        for day in (dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 4)):
            credit(user, day)
        growth.growth_refresh(user_id=user.pk)
    assert record(user, 2027).current_streak == 3
    assert record(user, 2026).longest_streak == 2
    assert record(user, 2027).credit_hours == Decimal("0.5")


@pytest.mark.parametrize("override, studied_saturday, streak", [
    (False, False, 2),  # Friday 02-19 → Monday 02-22: an ordinary weekend between
    (True, True, 3),  # 02-20 entered as a 调休 workday and studied: it counts
    (True, False, 1),  # entered and missed: the streak breaks there
])
def test_a_makeup_saturday_entered_by_an_administrator_counts_for_streaks(user, override, studied_saturday, streak):
    if override:
        WorkdayOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    days = [dt.date(2027, 2, 19), *([dt.date(2027, 2, 20)] if studied_saturday else []), dt.date(2027, 2, 22)]
    with time_machine.travel(dt.datetime(2027, 2, 22, 20, tzinfo=SH), tick=False):
        for day in days:
            credit(user, day)
        growth.growth_refresh(user_id=user.pk)
    assert record(user, 2027).current_streak == streak


def test_today_still_open_does_not_break_the_streak(user):
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=SH), tick=False):
        credit(user, dt.date(2026, 11, 23))
        credit(user, dt.date(2026, 11, 24))
        growth.growth_refresh(user_id=user.pk)
    assert record(user).current_streak == 2


def test_a_lost_enqueue_is_caught_up_from_the_ledger(user, django_capture_on_commit_callbacks):
    with mock.patch("growth.tasks.growth_refresh_task.apply_async", side_effect=OSError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            credit(user, dt.date(2026, 11, 23))  # the request succeeds although the enqueue fails
    assert not GrowthRecord.objects.filter(user=user).exists()
    behind, _ = growth.users_behind(after_id=0)
    assert user.pk in behind
    growth.growth_catch_up()
    assert record(user).lesson_count == 1
    assert user.pk not in growth.users_behind(after_id=0)[0]


def test_ledger_commit_refreshes_through_celery(user, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        credit(user, dt.date(2026, 11, 23))
    assert record(user).lesson_count == 1  # eager Celery in tests: the refresh ran


def test_the_rebuild_is_set_based(django_user_model):
    def run(n):
        users = [django_user_model.objects.create_user(f"grow{n}-{i}") for i in range(n)]
        for u in users:
            credit(u, dt.date(2026, 11, 23))
            credit(u, dt.date(2026, 11, 24))
        with CaptureQueriesContext(connection) as ctx:
            growth.growth_rebuild(user_ids=[u.pk for u in users], year=2026)
        return len(ctx.captured_queries)

    small, large = run(20), run(200)
    # No query per trainee: ten times the trainees may only add the extra INSERT statements SQLite
    # needs for its bound-parameter limit (PostgreSQL sends each batch in one statement).
    assert large <= small + 4, (small, large)


def test_the_command_rebuilds_one_user_or_everyone(user):
    credit(user, dt.date(2026, 11, 23))
    call_command("growth_rebuild", "--user", "trainee02", "--year", "2026", verbosity=0)
    assert record(user).lesson_count == 1
    with pytest.raises(CommandError, match="找不到用户"):
        call_command("growth_rebuild", "--user", "nobody-here")


KINDS = ["lesson", "daily", "quiz", "case", "journal", "course"]
activity = st.tuples(
    st.integers(min_value=0, max_value=2),  # which trainee
    st.integers(min_value=0, max_value=40),  # day offset from 2026-12-10 (crosses holidays and 2027)
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=7),  # points (caps bite)
    st.sampled_from(["0", "0.25", "0.5", "1.25"]),
)


def _oracle(users, years, today):
    """Growth records and weekly snapshots recomputed the plain, slow way, independently of
    `growth._records_for`: entry by entry from the ledger, day by day through the calendar."""
    from core.calendar import is_workday

    cap, records, weeks = 10, {}, {}
    kinds = {"lesson": "lesson_count", "daily": "daily_count", "quiz": "quiz_count", "case": "case_count",
             "journal": "journal_count", "course": "course_count"}
    for user in users:
        entries = [(e.occurred_at.astimezone(SH), e) for e in LedgerEntry.objects.filter(user=user)]
        per_day = {}
        for when, entry in entries:
            per_day.setdefault(when.date(), []).append(entry)
        for day, day_entries in per_day.items():
            monday = day - dt.timedelta(days=day.weekday())
            week = weeks.setdefault((user.pk, monday), [Decimal("0"), 0, 0])
            week[0] += sum(e.credit_hours for e in day_entries)
            week[1] += min(sum(e.points for e in day_entries), cap)
            week[2] += len(day_entries)
        for year in years:
            if not any(day.year <= year for day in per_day):
                continue
            in_year = [(when, e) for when, e in entries if when.year == year]
            rec = {"credit_hours": sum((e.credit_hours for _, e in in_year), Decimal("0")),
                   "points": sum(min(sum(e.points for e in es), cap) for d, es in per_day.items() if d.year == year),
                   "target_hours": Decimal("50"),
                   "last_activity_at": max((when for when, _ in in_year), default=None)}
            rec.update({field: sum(1 for _, e in in_year if e.kind == kind) for kind, field in kinds.items()})
            # Walk every calendar day up to the year's reference day, counting runs of active workdays.
            reference, day, run, longest, last_active = min(dt.date(year, 12, 31), today), min(per_day), 0, 0, None
            while day <= reference:
                if is_workday(day):
                    if day in per_day:
                        run, last_active = run + 1, day
                        if day.year == year:
                            longest = max(longest, run)
                    elif day != reference:  # today may still be studied: it breaks nothing yet
                        run = 0
                day += dt.timedelta(days=1)
            rec.update(current_streak=run, longest_streak=longest, streak_last_day=last_active if run else None)
            records[(user.pk, year)] = rec
    return records, {key: tuple(value) for key, value in weeks.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(activities=st.lists(activity, min_size=1, max_size=25), makeup_saturday=st.booleans())
def test_incremental_refreshes_and_a_rebuild_both_equal_a_plain_recomputation(activities, makeup_saturday):
    users = list(User.objects.filter(username__in=["trainee03", "trainee04", "trainee05"]).order_by("username"))
    LedgerEntry.objects.filter(user__in=users).delete()
    GrowthRecord.objects.filter(user__in=users).delete()
    GrowthSnapshot.objects.filter(user__in=users).delete()
    WorkdayOverride.objects.filter(date=dt.date(2027, 1, 2)).delete()
    if makeup_saturday:  # an administrator's 调休 Saturday among the computed 2027 holidays
        WorkdayOverride.objects.create(date=dt.date(2027, 1, 2), is_workday=True)
    start, today = dt.date(2026, 12, 10), dt.date(2027, 1, 20)
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=SH), tick=False):
        for who, offset, kind, points, hours in sorted(activities, key=lambda a: a[1]):
            credit(users[who], start + dt.timedelta(days=offset), kind=kind, points=points, hours=hours)
            growth.growth_refresh(user_id=users[who].pk)  # the incremental path, entry by entry

        # Every trainee is up to date with their ledger: none is left for the catch-up job.
        assert not set(growth.users_behind(after_id=0)[0]) & {u.pk for u in users}

        def state():
            fields = [f for f in growth.RECORD_FIELDS if f != "last_entry_id"]  # bookkeeping, not a result
            records = {(r.pop("user"), r.pop("year")): r
                       for r in GrowthRecord.objects.filter(user__in=users).values(*fields, "user", "year")}
            snaps = {(s["user"], s["week_start"]): (s["credit_hours"], s["points"], s["activities"])
                     for s in GrowthSnapshot.objects.filter(user__in=users).values(
                         "user", "week_start", "credit_hours", "points", "activities")}
            return records, snaps

        expected = _oracle(users, (2026, 2027), today)
        assert state() == expected
        for year in (2026, 2027):
            growth.growth_rebuild(user_ids=[u.pk for u in users], year=year, batch_size=2)
        assert state() == expected


def test_me_shows_the_growth_records_streak_and_a_lapsed_one_as_zero(client, user):
    client.login(username="trainee02", password="demo12345")
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=SH), tick=False):
        credit(user, dt.date(2026, 11, 23))
        credit(user, dt.date(2026, 11, 24))
        growth.growth_refresh(user_id=user.pk)
        assert "连续学习 <strong>2</strong> 个工作日" in client.get("/me/").content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=SH), tick=False):  # 11-25, 11-26 missed
        assert "连续学习 <strong>0</strong> 个工作日" in client.get("/me/").content.decode()


def test_the_catch_up_refreshes_many_trainees_in_one_set_based_pass(django_user_model):
    def run(n):
        users = [django_user_model.objects.create_user(f"late{n}-{i}") for i in range(n)]
        LedgerEntry.objects.bulk_create([
            LedgerEntry(user=u, kind="lesson", object_id=next(_ids), title="课", credit_hours=Decimal("0.5"),
                        points=2, occurred_at=dt.datetime(2026, 11, 23, 10, tzinfo=SH)) for u in users])
        # One trainee also has a late entry for last year: that year is refreshed too.
        LedgerEntry.objects.create(user=users[0], kind="daily", object_id=next(_ids), title="旧", points=1,
                                   credit_hours=Decimal("0.25"), occurred_at=dt.datetime(2025, 12, 30, 9, tzinfo=SH))
        with time_machine.travel(dt.datetime(2026, 11, 24, 9, tzinfo=SH), tick=False):
            with CaptureQueriesContext(connection) as ctx:
                assert growth.growth_catch_up() >= n
        assert GrowthRecord.objects.filter(user__in=users, year=2026, lesson_count=1).count() == n
        assert GrowthRecord.objects.get(user=users[0], year=2025).daily_count == 1
        return len(ctx.captured_queries)

    small, large = run(20), run(200)
    assert large <= small + 6, (small, large)
