"""`manage.py growth_rebuild [--user NAME_OR_ID …] [--year 2026]`: recompute growth records from the
ledger. Set-based and batched; safe while trainees study (every write is an idempotent upsert)."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from growth import services as growth


class Command(BaseCommand):
    help = "Rebuild growth records (学员成长库) from the activity ledger."

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", default=[], help="username or id (repeatable)")
        parser.add_argument("--year", type=int, help="year to rebuild (default: this year)")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        user_ids = None
        if options["user"]:
            wanted = options["user"]
            ids = [int(u) for u in wanted if u.isdigit()]
            found = User.objects.filter(Q(username__in=wanted) | Q(pk__in=ids))
            if found.count() != len(wanted):
                known = set(found.values_list("username", flat=True)) | {str(i) for i in found.values_list("pk", flat=True)}
                raise CommandError(f"找不到用户：{'、'.join(u for u in wanted if u not in known)}")
            user_ids = list(found.values_list("pk", flat=True))
        year = options["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("年份应在 2000 到 2100 之间。")

        def report(done, total):
            self.stdout.write(f"\r成长记录重建：{done}/{total}（{done * 100 // max(total, 1)}%）", ending="")

        count = growth.growth_rebuild(user_ids=user_ids, year=year, batch_size=options["batch_size"], progress=report)
        self.stdout.write(self.style.SUCCESS(f"\n已重建 {count} 名学员的成长记录。"))
