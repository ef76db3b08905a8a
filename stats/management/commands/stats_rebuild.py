"""`manage.py stats_rebuild [--date 2026-11-20] [--days 30]`: recompute organisation rollups (and class
figures) from the ledger. The same code as the scheduled refresh, so the numbers are the same; safe
while trainees study (upsert, then the day's stale rows go)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stats import services as stats


class Command(BaseCommand):
    help = "Rebuild statistics rollups (统计汇总) for a day or a range of days from the activity ledger."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="last day to rebuild, YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=1, help="how many days up to --date (default: 1)")

    def handle(self, *args, **options):
        try:
            last = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"日期格式应为 YYYY-MM-DD，例如 2026-11-20（收到：{options['date']}）。") from error
        if last > timezone.localdate():
            raise CommandError("不能重建未来日期的统计。")
        if not 1 <= options["days"] <= 3660:
            raise CommandError("--days 应在 1 到 3660 之间。")
        days = [last - dt.timedelta(days=n) for n in range(options["days"] - 1, -1, -1)]
        for number, day in enumerate(days, start=1):
            rows = stats.stats_rebuild_day(day)
            self.stdout.write(f"{day:%Y-%m-%d}：{rows} 个组织（{number}/{len(days)}）")
        classes = stats.class_stats_rebuild()
        self.stdout.write(self.style.SUCCESS(f"已重建 {len(days)} 天的组织统计和 {classes} 个培训班的统计。"))
