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

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from certificates.api import Certificate, certificate_for_annual_target
from core.api import JobRun
from core.api import calendar as workdays
from growth.models import GrowthRecord, GrowthSnapshot
from growth.streaks import streaks
from learning.api import LedgerEntry, day_points, rule

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
    """Per (trainee, local day): (user id, day, 学时, 积分, entries) — one query, plain tuples (a
    rebuild reads hundreds of thousands of them)."""
    tz = timezone.get_current_timezone()
    low, high = workdays.local_days(start, end)
    return (
        LedgerEntry.objects.filter(
            user_id__in=user_ids,
            occurred_at__gte=low, occurred_at__lt=high,
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("user_id", "day")
        .annotate(hours=Sum("credit_hours"), points=Sum("points"), n=Count("id"))
        .values_list("user_id", "day", "hours", "points", "n")
        .order_by()
    )


def _plain_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset. PostgreSQL already returns dates, Decimals and ints, so
    there the query runs on a plain cursor, without the ORM's per-value converters (a third of the
    time of reading a rebuild's day rows); other databases (SQLite) need them."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _year_totals(user_ids: list[int], year: int) -> dict[int, tuple]:
    """Per trainee with entries in `year` (local time): (last activity, then one count per kind in
    KIND_FIELDS order) — per trainee rather than per day, so the day rows stay narrow."""
    per_kind = {f"n_{kind}": Count("id", filter=Q(kind=kind)) for kind in KIND_FIELDS}
    low, high = workdays.local_days(*workdays.year_days(year))
    return {uid: rest for uid, *rest in LedgerEntry.objects.filter(
        user_id__in=user_ids, occurred_at__gte=low, occurred_at__lt=high,
    ).order_by().values("user_id").annotate(last=Max("occurred_at"), **per_kind)
        .values_list("user_id", "last", *per_kind)}


def _records_for(user_ids: list[int], year: int, today: dt.date, global_top: dict[int, int]):
    """(records, snapshots) of `user_ids` for `year` as plain rows — records in RECORD_COLUMNS order,
    snapshots in SNAPSHOT_COLUMNS order — ready for `_write` (a rebuild makes ten rows per trainee;
    model instances cost more than the arithmetic)."""
    first, end = workdays.year_days(year)
    start = first - dt.timedelta(days=STREAK_LOOKBACK_DAYS)
    reference = min(end, today)
    first_monday, _ = _week_range(year)
    days = workdays.workdays_between(start, reference)
    position = {day: index for index, day in enumerate(days)}
    target = Decimal(rule("annual_target_hours"))

    # Per trainee: [学时, 积分] within the year.
    totals: dict[int, list] = {}
    active: dict[int, set[dt.date]] = defaultdict(set)
    weeks: dict[tuple[int, dt.date], list] = defaultdict(lambda: [Decimal("0"), 0, 0])
    mondays: dict[dt.date, dt.date] = {}
    for uid, day, hours, points, entries in _plain_rows(_day_rows(user_ids, start, end + dt.timedelta(days=6))):
        active[uid].add(day)
        hours = hours or 0
        capped = day_points(points)
        monday = mondays.get(day)
        if monday is None:
            monday = mondays[day] = day - dt.timedelta(days=day.weekday())
        if first_monday <= monday <= end:
            week = weeks[(uid, monday)]
            week[0] += hours
            week[1] += capped
            week[2] += entries
        if day.year == year:
            total = totals.get(uid)
            if total is None:
                totals[uid] = [Decimal("0") + hours, capped]
            else:
                total[0] += hours
                total[1] += capped
    year_totals = _year_totals(user_ids, year)
    # A record exists for every trainee with activity in the year's window (which starts before the
    # year, so a streak carried over New Year already shows in January) — on every path alike.
    records = []
    nothing = (None, *(0 for _ in KIND_FIELDS))
    for uid in user_ids:
        if not any(day <= end for day in active.get(uid, ())):
            continue
        hours, points = totals.get(uid, (Decimal("0"), 0))
        last, *counts = year_totals.get(uid, nothing)
        current, longest, last_day = streaks(active[uid], days, position, year, reference)
        records.append((uid, year, hours, points, target, current, longest, last_day, last,
                        global_top.get(uid, 0), *counts))
    # In key order, as the records are: concurrent rebuilds of the same trainees lock rows in one order.
    snapshots = [(uid, monday, v[0], v[1], v[2]) for (uid, monday), v in sorted(weeks.items())]
    return records, snapshots


def _week_range(year: int) -> tuple[dt.date, dt.date]:
    """Mondays of the weeks that hold a day of `year` (the first may start in December before)."""
    first, last = workdays.year_days(year)
    return first - dt.timedelta(days=first.weekday()), last


# Column order of the rows `_records_for` makes (`updated_at` is appended on insert only, as
# `bulk_create(update_conflicts=…)` did: an unchanged record keeps its timestamp).
RECORD_COLUMNS = ["user_id", "year", "credit_hours", "points", "target_hours", "current_streak", "longest_streak",
                  "streak_last_day", "last_activity_at", "last_entry_id", *KIND_FIELDS.values()]
SNAPSHOT_COLUMNS = ["user_id", "week_start", "credit_hours", "points", "activities"]
WRITE_BATCH_ROWS = 1000
UNNEST_BATCH_ROWS = 10_000


def _upsert(cursor, model, columns: list[str], keys: list[str], rows: list[tuple]) -> None:
    """`INSERT … ON CONFLICT (keys) DO UPDATE` of plain rows, in batches, values as parameters. A row
    whose values did not change is left alone (no new row version). PostgreSQL gets one array per
    column (`unnest`): a multi-row VALUES list of ~17,000 placeholders costs psycopg more to parse
    than the server to write; other databases (SQLite) get the multi-row VALUES."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    updated = [c for c in columns if c not in keys and c != "updated_at"]
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # null-safe "differs"
    head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
    tail = (f" ON CONFLICT ({', '.join(quote(c) for c in keys)}) DO UPDATE SET "
            + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
            + " WHERE " + " OR ".join(f"{table}.{quote(c)} {distinct} EXCLUDED.{quote(c)}" for c in updated))
    if connection.vendor == "postgresql":
        fields = {f.column: f for f in model._meta.concrete_fields}
        sql = head + "SELECT * FROM unnest(" + ", ".join(
            f"%s::{fields[c].cast_db_type(connection)}[]" for c in columns) + ")" + tail
        for offset in range(0, len(rows), UNNEST_BATCH_ROWS):
            cursor.execute(sql, [list(column) for column in zip(*rows[offset: offset + UNNEST_BATCH_ROWS], strict=True)])
        return
    per_batch = WRITE_BATCH_ROWS
    if connection.features.max_query_params:
        per_batch = max(1, min(per_batch, connection.features.max_query_params // len(columns)))
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    statements = {}
    for offset in range(0, len(rows), per_batch):
        chunk = rows[offset: offset + per_batch]
        sql = statements.get(len(chunk))
        if sql is None:
            sql = statements[len(chunk)] = head + "VALUES " + ", ".join([row_sql] * len(chunk)) + tail
        cursor.execute(sql, [value for row in chunk for value in row])


@transaction.atomic
def _write(records: list[tuple], snapshots: list[tuple], user_ids: list[int], year: int) -> None:
    ops = connection.ops
    date, when, number = ops.adapt_datefield_value, ops.adapt_datetimefield_value, ops.adapt_decimalfield_value
    now = when(timezone.now())
    records = [(uid, y, number(hours), points, number(target), current, longest, date(last_day), when(last),
                top, *counts, now)
               for uid, y, hours, points, target, current, longest, last_day, last, top, *counts in records]
    snapshots = [(uid, date(monday), number(hours), points, n) for uid, monday, hours, points, n in snapshots]
    with connection.cursor() as cursor:
        _upsert(cursor, GrowthRecord, [*RECORD_COLUMNS, "updated_at"], ["user_id", "year"], records)
        # Upsert the year's weeks on (user, week_start), then delete the weeks that no longer hold
        # anything, so a rebuild is exact and a re-run writes the same rows.
        _upsert(cursor, GrowthSnapshot, SNAPSHOT_COLUMNS, ["user_id", "week_start"], snapshots)
    first_monday, last_day = _week_range(year)
    in_year = GrowthSnapshot.objects.filter(user_id__in=user_ids, week_start__range=(first_monday, last_day))
    expected = defaultdict(int)
    for uid, *_ in snapshots:
        expected[uid] += 1
    stale_users = [uid for uid, n in in_year.order_by().values("user_id").annotate(n=Count("id"))
                   .values_list("user_id", "n") if n != expected.get(uid, 0)]
    if stale_users:
        keep = {(uid, monday) for uid, monday, *_ in snapshots}
        stale = [pk for pk, uid, monday in in_year.filter(user_id__in=stale_users)
                 .values_list("pk", "user_id", "week_start") if (uid, date(monday)) not in keep]
        GrowthSnapshot.objects.filter(pk__in=stale).delete()


def _annual_certificates(records: list[tuple], year: int) -> None:
    """Issue the 学时证明 to trainees whose recomputed year reached the target and who do not hold it yet
    (after the records are written, outside their transaction)."""
    hours_at, target_at = RECORD_COLUMNS.index("credit_hours"), RECORD_COLUMNS.index("target_hours")
    reached = {r[0]: (r[hours_at], r[target_at]) for r in records if r[target_at] and r[hours_at] >= r[target_at]}
    if not reached:
        return
    holders = set(Certificate.objects.filter(kind=Certificate.Kind.ANNUAL, object_id=year, user_id__in=reached)
                  .values_list("user_id", flat=True))
    for user in get_user_model().objects.filter(pk__in=set(reached) - holders):
        credit_hours, target_hours = reached[user.pk]
        certificate_for_annual_target(user=user, year=year, credit_hours=credit_hours, target_hours=target_hours)


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
