"""`manage.py bench_data`: a provincial-scale college for `make bench` — fast, idempotent, bench-only.

    manage.py bench_data --preset full                      # 71,000 organisations, 100,000 trainees, 60 days
    manage.py bench_data --orgs 700 --trainees 2000 --days 10

Builds, under one province root whose code starts with `B62` (甘肃省（基准测试）):

- an organisation tree in a province's proportions (省 → 市 → 区/县 → 街道 → 社区; about 1 city per
  5,000 organisations, 1 district per 700, 1 street per 50, the rest communities), written with
  precomputed materialised paths instead of one treebeard insert per node;
- trainees `bench000001`…: accounts sharing one password hash (`Bench@2026`, hashed once — 100,000
  PBKDF2 hashes would take hours) and profiles, 90 % in communities and 10 % on street staff;
- a daily lesson for every workday of the last `--days` days that has none (and, through
  `devtools.demo.quizzes`, its 今日小测);
- the ledger of those days: the daily lesson (each trainee has a habit between 25 % and 95 % of
  workdays, mostly 08:30–10:00), its quiz, now and then a course lesson or a case, and the matching
  `LessonProgress` rows;
- then the projections, through the application's own code: `stats_rebuild_day` per day and
  `growth_rebuild` for the trainees.

On PostgreSQL rows go in with COPY through Django's connection; elsewhere (SQLite, small sizes only)
with executemany. Idempotent: every stage skips what exists (the tree, the trainees, each day's
ledger, each day's rollups, the growth records), so a second run adds nothing and takes seconds.
Refuses to run on a database that holds any account other than bench accounts (`bench…`) and the demo
college's, and on settings that do not allow demo data unless `--yes-this-is-a-bench-db` is given.
Reports rows/s per table.

This module is the command (sizes, guards, the order of the stages, the report); the stages are
`devtools.bench` — `tree`, `trainees`, `ledger` (daily lessons and the ledger), `projections`.
"""

import datetime as dt
import logging
import re
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devtools.bench import ledger, projections, trainees, tree
from devtools.bench.base import (  # noqa: F401 - BENCH_ORG_CODE, BENCH_PASSWORD: bench/ imports them from here
    BENCH_ORG_CODE,
    BENCH_PASSWORD,
    BENCH_USER_PREFIX,
    BenchRun,
)

# The demo college's accounts (devtools/demo/people.py): harmless to find next to bench data.
DEMO_USERNAMES = re.compile(r"^(admin|trainer|reviewer|district_admin|street_admin|trainee\d*)$")
PRESETS = {
    "small": {"orgs": 700, "trainees": 2_000, "days": 10},
    "full": {"orgs": 71_000, "trainees": 100_000, "days": 60},
}


class Command(BaseCommand):
    help = "Build (or complete) the bench college: organisations, trainees, ledger, rollups and growth records."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--orgs", type=int, help="organisations in the bench province (default from the preset)")
        parser.add_argument("--trainees", type=int, help="trainees (default from the preset)")
        parser.add_argument("--days", type=int, help="days of ledger before today (default from the preset)")
        parser.add_argument("--yes-this-is-a-bench-db", action="store_true", dest="confirmed",
                            help="run even though the settings do not allow demo data (COLLEGE_ALLOW_DEMO_DATA)")

    def _refuse_real_databases(self, sizes: dict[str, int], confirmed: bool) -> None:
        if not settings.COLLEGE_ALLOW_DEMO_DATA and not confirmed:
            raise CommandError("拒绝执行：当前配置不允许演示数据。若这确实是基准测试专用数据库，请加 --yes-this-is-a-bench-db。")
        foreign = [name for name in User.objects.exclude(username__startswith=BENCH_USER_PREFIX)
                   .values_list("username", flat=True).iterator() if not DEMO_USERNAMES.match(name)]
        if foreign:
            sample = "、".join(foreign[:5])
            raise CommandError(
                f"拒绝执行：数据库中有 {len(foreign)} 个不属于基准测试或演示学院的账号（例如 {sample}）。"
                "bench_data 只写入专用的基准测试数据库。")
        if connection.vendor != "postgresql" and sizes["trainees"] > 20_000:
            raise CommandError("SQLite 上只支持小规模（≤ 20000 名学员）；全量基准测试请使用 PostgreSQL（DATABASE_URL）。")

    def handle(self, *args, **options):
        preset = PRESETS[options["preset"]]
        sizes = {key: options[key] if options[key] is not None else preset[key] for key in ("orgs", "trainees", "days")}
        if sizes["orgs"] < 30 or sizes["trainees"] < 1 or sizes["days"] < 1:
            raise CommandError("规模过小：--orgs 至少 30，--trainees 与 --days 至少 1。")
        self._refuse_real_databases(sizes, options["confirmed"])
        logging.getLogger("wagtail").setLevel(logging.WARNING)  # one line per new daily lesson is noise
        started = time.perf_counter()
        today = timezone.localdate()
        run = BenchRun(sizes=sizes, days=[today - dt.timedelta(days=n) for n in range(sizes["days"], 0, -1)],
                       stdout=self.stdout)
        self.stdout.write(f"基准数据：{sizes['orgs']} 个组织，{sizes['trainees']} 名学员，"
                          f"{run.days[0]} 至 {run.days[-1]} 共 {len(run.days)} 天（{connection.vendor}）")

        communities, streets = tree.organizations(run)
        user_ids = trainees.trainee_ids(run, communities, streets)
        lessons = ledger.daily_lessons(run)
        ledger.ledger_days(run, user_ids, lessons)
        projections.analyze(run)
        projections.rollups(run)
        projections.growth_records(run, user_ids)
        projections.analyze(run)

        self.stdout.write("\n表 | 行数 | 秒 | 行/秒")
        for label, (count, seconds) in run.writer.stats.items():
            rate = f"{count / seconds:,.0f}" if seconds > 0 and count else "—"
            self.stdout.write(f"{label} | {count:,} | {seconds:.1f} | {rate}")
        self.stdout.write(self.style.SUCCESS(f"基准数据就绪，用时 {time.perf_counter() - started:.1f} 秒。"))
