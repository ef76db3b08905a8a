"""The projections of the bench data, through the application's own code (`stats_rebuild_day` per day,
`growth_rebuild` for the trainees), and fresh planner statistics after the bulk loads."""

import datetime as dt
import time

from django.contrib.auth.models import User
from django.db import connection

from devtools.bench.base import BENCH_ORG_CODE, BenchRun
from growth.models import GrowthRecord, GrowthSnapshot
from learning.models import LedgerEntry, LessonProgress
from orgs.api import Organization, TraineeProfile
from stats.models import OrgDailyStats


def analyze(run: BenchRun) -> None:
    """Fresh planner statistics: after millions of COPYed rows the planner still believes the tables
    are empty (autovacuum gets there minutes later) and picks plans ten times slower — a production
    database has its statistics, and so must the bench."""
    if not run.writer.postgres:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Organization, User, TraineeProfile, LedgerEntry, LessonProgress, OrgDailyStats,
                      GrowthRecord, GrowthSnapshot):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    run.stdout.write(f"ANALYZE：{time.perf_counter() - started:.1f} 秒")


def rollups(run: BenchRun) -> None:
    """`OrgDailyStats` for every bench day whose province row is missing."""
    from stats.services import stats_rebuild_day

    root = Organization.objects.get(code=BENCH_ORG_CODE)
    have = set(OrgDailyStats.objects.filter(organization=root, date__in=run.days).values_list("date", flat=True))
    todo = [day for day in run.days if day not in have]
    if not todo:
        run.stdout.write("每日统计：已存在，跳过")
        return
    started, rows = time.perf_counter(), 0
    for day in todo:
        rows += stats_rebuild_day(day)
        run.stdout.write(f"\r每日统计：{day}", ending="")
    run.writer.add("组织每日统计 OrgDailyStats（stats_rebuild_day）", rows, time.perf_counter() - started)
    run.stdout.write(f"\n每日统计：{len(todo)} 天，{rows:,} 行")


def growth_records(run: BenchRun, user_ids: list[int]) -> None:
    """Growth records per year of the bench days, unless the first 500 active trainees all have theirs."""
    from growth.services import growth_rebuild

    years = sorted({day.year for day in run.days})
    sample = user_ids[:500]
    for year in years:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        active = set(LedgerEntry.objects.filter(user_id__in=sample, occurred_at__date__range=(start, end))
                     .values_list("user_id", flat=True).distinct())
        recorded = set(GrowthRecord.objects.filter(year=year, user_id__in=sample).values_list("user_id", flat=True))
        if active <= recorded:
            run.stdout.write(f"成长记录 {year}：已存在，跳过")
            continue
        started = time.perf_counter()
        done = growth_rebuild(user_ids=user_ids, year=year, batch_size=5000)
        run.writer.add(f"成长记录 GrowthRecord {year}（growth_rebuild）", done, time.perf_counter() - started)
