"""学员成长库: growth records and weekly snapshots, recomputed from the ledger.

Every path — the refresh after a ledger entry, the minute-by-minute catch-up, the nightly rebuild and
`manage.py growth_rebuild` — runs the same set-based recomputation, so they cannot disagree. It is
idempotent (recompute and upsert, never "add one"): a task that runs twice, or after a killed worker,
writes the same rows. The ledger is the outbox: each record keeps the id of the last ledger entry it
includes, and the catch-up refreshes every trainee whose ledger is ahead.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from learning import calendar as workdays
from learning import rules
from learning.models import GrowthRecord, GrowthSnapshot, JobRun, LedgerEntry

KIND_FIELDS = {
    LedgerEntry.Kind.DAILY: "daily_count",
    LedgerEntry.Kind.LESSON: "lesson_count",
    LedgerEntry.Kind.COURSE: "course_count",
    LedgerEntry.Kind.CASE: "case_count",
    LedgerEntry.Kind.QUIZ: "quiz_count",
    LedgerEntry.Kind.JOURNAL: "journal_count",
}
RECORD_FIELDS = ["credit_hours", "points", "target_hours", "current_streak", "longest_streak", "streak_last_day",
                 "last_activity_at", "last_entry_id", *KIND_FIELDS.values()]
STREAK_LOOKBACK_DAYS = 400  # a streak may run in from the previous year
CATCH_UP_JOB = "growth-catch-up"
CATCH_UP_SAFETY_IDS = 10_000  # re-check recent ids: a slow transaction may commit a lower id late


def _day_rows(user_ids: list[int], start: dt.date, end: dt.date):
    """Per (trainee, local day): (user id, day, 学时, 积分, entries, then one count per kind in
    KIND_FIELDS order) — one query, plain tuples (a rebuild reads hundreds of thousands of them)."""
    tz = timezone.get_current_timezone()
    per_kind = {f"n_{kind}": Count("id", filter=Q(kind=kind)) for kind in KIND_FIELDS}
    return (
        LedgerEntry.objects.filter(
            user_id__in=user_ids,
            occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            occurred_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("user_id", "day")
        .annotate(hours=Sum("credit_hours"), points=Sum("points"), n=Count("id"), **per_kind)
        .values_list("user_id", "day", "hours", "points", "n", *per_kind)
        .order_by()
    )


def _last_activity(user_ids: list[int], year: int) -> dict[int, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dict(LedgerEntry.objects.filter(
        user_id__in=user_ids,
        occurred_at__gte=dt.datetime(year, 1, 1, tzinfo=tz), occurred_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
    ).order_by().values("user_id").annotate(last=Max("occurred_at")).values_list("user_id", "last"))


def _streaks(active: set[dt.date], days: list[dt.date], position: dict[dt.date, int], year: int,
             reference: dt.date) -> tuple[int, int, dt.date | None]:
    """(current, longest within `year`, last day of the current streak) over the workdays `days` (up to
    `reference`; `position` maps each to its index). Walks only the trainee's active workdays: a run
    continues while their positions are consecutive; the reference day itself may still be ahead of
    the trainee, so it does not break the current run."""
    longest = run = 0
    previous = None
    for index in sorted(position[day] for day in active if day in position):
        run = run + 1 if previous is not None and index == previous + 1 else 1
        previous = index
        if days[index].year == year:
            longest = max(longest, run)
    if previous is None:
        return 0, 0, None
    tail = len(days) - 1
    if previous == tail or (previous == tail - 1 and days[tail] == reference):
        return run, longest, days[previous]
    return 0, longest, None


def _records_for(user_ids: list[int], year: int, today: dt.date, global_top: dict[int, int]):
    start = dt.date(year, 1, 1) - dt.timedelta(days=STREAK_LOOKBACK_DAYS)
    end = dt.date(year, 12, 31)
    reference = min(end, today)
    first_monday, _ = _week_range(year)
    days = workdays.workdays_between(start, reference)
    position = {day: index for index, day in enumerate(days)}
    cap = rules.rule("daily_points_cap")
    target = Decimal(rules.rule("annual_target_hours"))

    records = {uid: GrowthRecord(user_id=uid, year=year, target_hours=target, last_entry_id=global_top.get(uid, 0))
               for uid in user_ids}
    active: dict[int, set[dt.date]] = defaultdict(set)
    weeks: dict[tuple[int, dt.date], list] = defaultdict(lambda: [Decimal("0"), 0, 0])
    kind_fields = list(KIND_FIELDS.values())
    for uid, day, hours, points, entries, *per_kind in _day_rows(user_ids, start, end + dt.timedelta(days=6)):
        active[uid].add(day)
        hours = hours or 0
        capped = min(points or 0, cap)
        monday = day - dt.timedelta(days=day.weekday())
        if first_monday <= monday <= end:
            week = weeks[(uid, monday)]
            week[0] += hours
            week[1] += capped
            week[2] += entries
        if day.year != year:
            continue
        record = records[uid]
        record.credit_hours += hours
        record.points += capped
        for field, count in zip(kind_fields, per_kind, strict=True):
            if count:
                setattr(record, field, getattr(record, field) + count)
    for uid, last in _last_activity(user_ids, year).items():
        records[uid].last_activity_at = last
    # A record exists for every trainee with activity in the year's window (which starts before the
    # year, so a streak carried over New Year already shows in January) — on every path alike.
    records = {uid: record for uid, record in records.items() if any(day <= end for day in active[uid])}
    for uid, record in records.items():
        record.current_streak, record.longest_streak, record.streak_last_day = _streaks(
            active[uid], days, position, year, reference)
    snapshots = [GrowthSnapshot(user_id=uid, week_start=monday, credit_hours=v[0], points=v[1], activities=v[2])
                 for (uid, monday), v in weeks.items()]
    return list(records.values()), snapshots


def _week_range(year: int) -> tuple[dt.date, dt.date]:
    """Mondays of the weeks that hold a day of `year` (the first may start in December before)."""
    first = dt.date(year, 1, 1)
    return first - dt.timedelta(days=first.weekday()), dt.date(year, 12, 31)


@transaction.atomic
def _write(records: list[GrowthRecord], snapshots: list[GrowthSnapshot], user_ids: list[int], year: int) -> None:
    GrowthRecord.objects.bulk_create(records, update_conflicts=True, unique_fields=["user", "year"],
                                     update_fields=RECORD_FIELDS, batch_size=1000)
    # Replace the year's weeks wholesale, so a rebuild is exact and a re-run writes the same rows.
    first_monday, last_day = _week_range(year)
    GrowthSnapshot.objects.filter(user_id__in=user_ids, week_start__range=(first_monday, last_day)).delete()
    GrowthSnapshot.objects.bulk_create(snapshots, batch_size=1000)


def _annual_certificates(records: list[GrowthRecord], year: int) -> None:
    """Issue the 学时证明 to trainees who have reached the year's target and do not hold it yet."""
    from django.contrib.auth import get_user_model

    from learning.models import Certificate
    from learning.services.certificates import certificate_for_annual_target

    reached = {r.user_id: r for r in records if r.target_hours and r.credit_hours >= r.target_hours}
    if not reached:
        return
    holders = set(Certificate.objects.filter(kind=Certificate.Kind.ANNUAL, object_id=year, user_id__in=reached)
                  .values_list("user_id", flat=True))
    for user in get_user_model().objects.filter(pk__in=set(reached) - holders):
        record = reached[user.pk]
        certificate_for_annual_target(user=user, year=year, credit_hours=record.credit_hours,
                                      target_hours=record.target_hours)


def growth_rebuild(*, user_ids: list[int] | None = None, year: int | None = None, batch_size: int = 2000,
                   progress=None) -> int:
    """Recompute the growth records (and weekly snapshots) of `user_ids` (all trainees with a ledger
    when None) for `year` (the current one when None). Set-based, in batches; returns the count."""
    today = timezone.localdate()
    year = year or today.year
    if user_ids is None:
        user_ids = list(LedgerEntry.objects.order_by().values_list("user_id", flat=True).distinct())
    user_ids = sorted(set(user_ids))
    done = 0
    for offset in range(0, len(user_ids), batch_size):
        batch = user_ids[offset: offset + batch_size]
        top = dict(LedgerEntry.objects.filter(user_id__in=batch).order_by().values("user_id")
                   .annotate(top=Max("id")).values_list("user_id", "top"))
        records, snapshots = _records_for(batch, year, today, top)
        _write(records, snapshots, batch, year)
        _annual_certificates(records, year)
        done += len(batch)
        if progress:
            progress(done, len(user_ids))
    return done


def growth_refresh(*, user_id: int) -> None:
    """One trainee, every year their ledger touches since the record's watermark (usually just this one)."""
    watermark = GrowthRecord.objects.filter(user_id=user_id).aggregate(w=Max("last_entry_id"))["w"] or 0
    tz = timezone.get_current_timezone()
    years = {timezone.localdate().year}
    years |= {d.year for d in LedgerEntry.objects.filter(user_id=user_id, id__gt=watermark)
              .annotate(day=TruncDate("occurred_at", tzinfo=tz)).values_list("day", flat=True).distinct()}
    for year in sorted(years):
        growth_rebuild(user_ids=[user_id], year=year)


def users_behind(*, after_id: int, limit: int = 5000) -> tuple[list[int], int]:
    """Trainees with ledger entries newer than their record's watermark, and the highest id seen."""
    recent = list(LedgerEntry.objects.filter(id__gt=after_id).order_by().values("user_id")
                  .annotate(top=Max("id")).values_list("user_id", "top")[:limit])
    if not recent:
        return [], after_id
    marks = dict(GrowthRecord.objects.filter(user_id__in=[uid for uid, _ in recent]).order_by().values("user_id")
                 .annotate(w=Max("last_entry_id")).values_list("user_id", "w"))
    behind = [uid for uid, top in recent if top > (marks.get(uid) or 0)]
    return behind, max(top for _, top in recent)


def growth_catch_up() -> int:
    """Refresh everyone whose ledger is ahead of their record (lost enqueues, broker outages).

    One set-based rebuild for all of them in the current year (30,000 trainees behind after an outage
    are a few batches, not 30,000 tasks); the rare trainee with a late entry in another year also gets
    that year refreshed."""
    job, _ = JobRun.objects.get_or_create(name=CATCH_UP_JOB)
    behind, highest = users_behind(after_id=max(0, job.cursor - CATCH_UP_SAFETY_IDS))
    if behind:
        year = timezone.localdate().year
        tz = timezone.get_current_timezone()
        mark = (GrowthRecord.objects.filter(user_id=OuterRef("user_id")).order_by().values("user_id")
                .annotate(w=Max("last_entry_id")).values("w"))
        other_years = defaultdict(set)
        for user_id, day in (LedgerEntry.objects.filter(user_id__in=behind)
                             .annotate(mark=Coalesce(Subquery(mark), 0), day=TruncDate("occurred_at", tzinfo=tz))
                             .filter(id__gt=F("mark")).exclude(day__year=year)
                             .values_list("user_id", "day").distinct()):
            other_years[day.year].add(user_id)
        growth_rebuild(user_ids=behind, year=year)
        for other, user_ids in other_years.items():
            growth_rebuild(user_ids=sorted(user_ids), year=other)
    JobRun.objects.filter(pk=job.pk, cursor__lt=highest).update(cursor=highest)
    return len(behind)
