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
"""

import datetime as dt
import logging
import random
import re
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from cms.models import CasePage, DailyLessonIndexPage, DailyLessonPage, LessonPage
from cms.models.daily import PUBLISH_TIME
from core.api import calendar as workdays
from devtools.demo import quizzes
from learning import rules
from learning.models import GrowthRecord, GrowthSnapshot, LedgerEntry, LessonProgress
from orgs.api import Organization, TraineeProfile
from stats.models import OrgDailyStats

BENCH_USER_PREFIX = "bench"  # every account bench_data and `make bench` create starts with it
BENCH_ORG_CODE = "B62"  # the bench province's code; its subtree's codes all start with it
BENCH_PASSWORD = "Bench@2026"
# The demo college's accounts (devtools/demo/people.py): harmless to find next to bench data.
DEMO_USERNAMES = re.compile(r"^(admin|trainer|reviewer|district_admin|street_admin|trainee\d*)$")
PRESETS = {
    "small": {"orgs": 700, "trainees": 2_000, "days": 10},
    "full": {"orgs": 71_000, "trainees": 100_000, "days": 60},
}
SEED = 20261124
DEFER_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
CITIES = ["兰州市", "嘉峪关市", "金昌市", "白银市", "天水市", "武威市", "张掖市", "平凉市", "酒泉市", "庆阳市",
          "定西市", "陇南市", "临夏州", "甘南州"]
PLACE = "城关安宁西固七里河红古永登皋兰榆中秦州麦积甘谷武山凉州民勤古浪甘州临泽高台肃州玉门敦煌西峰庆城" \
        "安定通渭陇西武都成县文县东乡合作夏河华亭崆峒静宁金川永昌白银平川靖远会宁景泰"
STREET_SUFFIX = ["街道", "街道", "镇", "街道", "乡"]
COMMUNITY_SUFFIX = ["社区", "社区", "社区", "村"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "秀英建华丽娟国强海燕志刚春梅晓东玉兰立新红霞卫东静敏磊洋芳军勇艳杰娜涛明超霞平刚桂英"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _place(index: int) -> str:
    a, b = index % len(PLACE), (index * 7 + 3) % len(PLACE)
    return PLACE[a] + PLACE[b]


def level_counts(orgs: int) -> tuple[int, int, int, int]:
    """(cities, districts, streets, communities) for `orgs` organisations including the province."""
    cities = max(2, round(orgs / 5_000))
    districts = max(cities, round(orgs / 700))
    streets = max(districts * 2, round(orgs / 50))
    communities = max(streets, orgs - 1 - cities - districts - streets)
    return cities, districts, streets, communities


class Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany elsewhere. Counts rows and seconds per table."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.stats: dict[str, list[float]] = {}

    def insert(self, table: str, columns: list[str], rows, label: str | None = None) -> int:
        started = time.perf_counter()
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 5_000:
                        cursor.executemany(sql, batch)
                        count, batch = count + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.add(label or table, count, time.perf_counter() - started)
        return count

    def add(self, label: str, count: int, seconds: float) -> None:
        entry = self.stats.setdefault(label, [0, 0.0])
        entry[0] += count
        entry[1] += seconds


class Command(BaseCommand):
    help = "Build (or complete) the bench college: organisations, trainees, ledger, rollups and growth records."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--orgs", type=int, help="organisations in the bench province (default from the preset)")
        parser.add_argument("--trainees", type=int, help="trainees (default from the preset)")
        parser.add_argument("--days", type=int, help="days of ledger before today (default from the preset)")
        parser.add_argument("--yes-this-is-a-bench-db", action="store_true", dest="confirmed",
                            help="run even though the settings do not allow demo data (COLLEGE_ALLOW_DEMO_DATA)")

    # --- guards ---------------------------------------------------------------------------------
    def _refuse_real_databases(self, confirmed: bool) -> None:
        if not getattr(settings, "COLLEGE_ALLOW_DEMO_DATA", False) and not confirmed:
            raise CommandError("拒绝执行：当前配置不允许演示数据。若这确实是基准测试专用数据库，请加 --yes-this-is-a-bench-db。")
        foreign = [name for name in User.objects.exclude(username__startswith=BENCH_USER_PREFIX)
                   .values_list("username", flat=True).iterator() if not DEMO_USERNAMES.match(name)]
        if foreign:
            sample = "、".join(foreign[:5])
            raise CommandError(
                f"拒绝执行：数据库中有 {len(foreign)} 个不属于基准测试或演示学院的账号（例如 {sample}）。"
                "bench_data 只写入专用的基准测试数据库。")
        if connection.vendor != "postgresql" and self.sizes["trainees"] > 20_000:
            raise CommandError("SQLite 上只支持小规模（≤ 20000 名学员）；全量基准测试请使用 PostgreSQL（DATABASE_URL）。")

    def handle(self, *args, **options):
        preset = PRESETS[options["preset"]]
        self.sizes = {key: options[key] if options[key] is not None else preset[key]
                      for key in ("orgs", "trainees", "days")}
        if self.sizes["orgs"] < 30 or self.sizes["trainees"] < 1 or self.sizes["days"] < 1:
            raise CommandError("规模过小：--orgs 至少 30，--trainees 与 --days 至少 1。")
        self._refuse_real_databases(options["confirmed"])
        logging.getLogger("wagtail").setLevel(logging.WARNING)  # one line per new daily lesson is noise
        self.rng = random.Random(SEED)
        self.writer = Writer()
        started = time.perf_counter()
        today = timezone.localdate()
        self.days = [today - dt.timedelta(days=n) for n in range(self.sizes["days"], 0, -1)]
        self.stdout.write(f"基准数据：{self.sizes['orgs']} 个组织，{self.sizes['trainees']} 名学员，"
                          f"{self.days[0]} 至 {self.days[-1]} 共 {len(self.days)} 天（{connection.vendor}）")

        communities, streets = self._organizations()
        user_ids = self._trainees(communities, streets)
        lessons = self._daily_lessons()
        self._ledger(user_ids, lessons)
        self._analyze()
        self._rollups()
        self._growth(user_ids)
        self._analyze()

        self.stdout.write("\n表 | 行数 | 秒 | 行/秒")
        for label, (count, seconds) in self.writer.stats.items():
            rate = f"{count / seconds:,.0f}" if seconds > 0 and count else "—"
            self.stdout.write(f"{label} | {count:,} | {seconds:.1f} | {rate}")
        self.stdout.write(self.style.SUCCESS(f"基准数据就绪，用时 {time.perf_counter() - started:.1f} 秒。"))

    # --- organisations -------------------------------------------------------------------------
    def _organizations(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        root = Organization.objects.filter(code=BENCH_ORG_CODE).first()
        if root is None:
            self._build_tree()
            root = Organization.objects.get(code=BENCH_ORG_CODE)
        else:
            self.stdout.write(f"组织：已存在 {Organization.objects.filter(path__startswith=root.path).count():,} 个，跳过")
        below = Organization.objects.filter(path__startswith=root.path).order_by("path")
        communities = list(below.filter(level=Organization.Level.COMMUNITY).values_list("id", "path"))
        streets = list(below.filter(level=Organization.Level.STREET).values_list("id", "path"))
        return communities, streets

    def _build_tree(self) -> None:
        cities, districts, streets, communities = level_counts(self.sizes["orgs"])
        started = time.perf_counter()
        with transaction.atomic():
            root = Organization.add_root(name="甘肃省（基准测试）", code=BENCH_ORG_CODE,
                                         level=Organization.Level.PROVINCE)
            rows = []  # (path, depth, numchild, name, level, code)

            def spread(parents: list[tuple[str, str, str]], total: int, depth: int, level: str, name_of,
                       width: int) -> list[tuple[str, str, str]]:
                """Give `total` children to `parents` (unevenly, like a real province); returns the children."""
                weights = [0.5 + self.rng.random() for _ in parents]
                scale = total / sum(weights)
                shares = [max(1, int(w * scale)) for w in weights]
                shares[-1] = max(1, total - sum(shares[:-1]))
                children, counter = [], 0
                for (path, code, pname), share in zip(parents, shares, strict=True):
                    for n in range(1, share + 1):
                        counter += 1
                        child = (Organization._get_path(path, depth, n), f"{code}{n:0{width}d}",
                                 name_of(pname, counter, n))
                        children.append(child)
                    rows.append((path, depth - 1, share, pname, None, code))
                return children

            top = [(root.path, BENCH_ORG_CODE, root.name)]
            city_rows = spread(top, cities, 2, "city", lambda p, i, n: CITIES[(n - 1) % len(CITIES)]
                               + (f"（{(n - 1) // len(CITIES) + 1}）" if n > len(CITIES) else ""), 2)
            district_rows = spread(city_rows, districts, 3, "district",
                                   lambda p, i, n: _place(i) + ("区" if n % 3 else "县"), 2)
            street_rows = spread(district_rows, streets, 4, "street",
                                 lambda p, i, n: _place(i * 3 + 1) + STREET_SUFFIX[i % len(STREET_SUFFIX)], 3)
            community_rows = spread(street_rows, communities, 5, "community",
                                    lambda p, i, n: _place(i * 5 + 2) + COMMUNITY_SUFFIX[i % len(COMMUNITY_SUFFIX)], 4)
            levels = {2: "city", 3: "district", 4: "street"}
            parents_numchild = {path: numchild for path, _, numchild, _, _, _ in rows}
            Organization.objects.filter(pk=root.pk).update(numchild=parents_numchild[root.path])
            table = Organization._meta.db_table

            def all_rows():
                for depth, group in ((2, city_rows), (3, district_rows), (4, street_rows)):
                    for path, code, name in group:
                        yield (path, depth, parents_numchild.get(path, 0), name[:100], levels[depth], code)
                for path, code, name in community_rows:
                    yield (path, 5, 0, name[:100], "community", code)

            self.writer.insert(table, ["path", "depth", "numchild", "name", "level", "code"], all_rows(),
                               label="组织 learning_organization")
        self.stdout.write(f"组织：新增 {1 + cities + districts + streets + communities:,} 个"
                          f"（市 {cities}、区县 {districts}、街道 {streets}、社区 {communities}），"
                          f"{time.perf_counter() - started:.1f} 秒")

    # --- trainees ------------------------------------------------------------------------------
    def _trainees(self, communities, streets) -> list[int]:
        wanted = self.sizes["trainees"]
        names = [f"{BENCH_USER_PREFIX}{n:06d}" for n in range(1, wanted + 1)]
        existing = set(User.objects.filter(username__startswith=BENCH_USER_PREFIX, username__regex=r"^bench\d{6}$")
                       .values_list("username", flat=True))
        missing = [name for name in names if name not in existing]
        if missing:
            self._create_trainees(missing, communities, streets)
        else:
            self.stdout.write(f"学员：已存在 {len(existing):,} 名，跳过")
        ids = dict(User.objects.filter(username__regex=r"^bench\d{6}$").values_list("username", "id"))
        return [ids[name] for name in names]

    def _create_trainees(self, usernames: list[str], communities, streets) -> None:
        started = time.perf_counter()
        password = make_password(BENCH_PASSWORD)  # once: every bench account shares it
        joined = timezone.make_aware(dt.datetime.combine(self.days[0] - dt.timedelta(days=30), dt.time(9)))
        rng = random.Random(SEED + 1)
        positions = [p for p, _ in TraineeProfile.Position.choices]
        with transaction.atomic():
            names = {}

            def users():
                for username in usernames:
                    name = _name(rng)
                    names[username] = name
                    yield (password, False, username, name, "", "", False, True, joined)

            self.writer.insert(User._meta.db_table, ["password", "is_superuser", "username", "first_name",
                                                     "last_name", "email", "is_staff", "is_active", "date_joined"],
                               users(), label="账号 auth_user")
            ids = dict(User.objects.filter(username__regex=r"^bench\d{6}$").values_list("username", "id"))
            # A few big communities and many small ones: weight each by a long-tailed draw.
            weights = [rng.paretovariate(2.0) for _ in communities]

            def profiles():
                community_picks = rng.choices(range(len(communities)), weights=weights, k=len(usernames))
                for index, username in enumerate(usernames):
                    number = int(username[len(BENCH_USER_PREFIX):])
                    if number % 10 == 0 and streets:  # street (街道) staff
                        org_id = streets[number % len(streets)][0]
                    else:
                        org_id = communities[community_picks[index]][0]
                    yield (ids[username], names[username], f"1000{number:07d}", org_id,
                           positions[number % len(positions)], dt.date(2015 + number % 10, 1 + number % 12, 1), False)

            self.writer.insert(TraineeProfile._meta.db_table, ["user_id", "real_name", "phone", "organization_id",
                                                               "position", "joined_on", "must_change_password"],
                               profiles(), label="学员档案 learning_traineeprofile")
        self.stdout.write(f"学员：新增 {len(usernames):,} 名，{time.perf_counter() - started:.1f} 秒")

    # --- content -------------------------------------------------------------------------------
    def _daily_lessons(self) -> dict[dt.date, DailyLessonPage]:
        """A live daily lesson for every workday of the window (reusing the demo's), with its quiz."""
        wanted = [day for day in self.days if workdays.is_workday(day)]
        existing = {page.lesson_date: page for page in DailyLessonPage.objects.filter(lesson_date__in=wanted)}
        missing = [day for day in wanted if day not in existing]
        if missing:
            started = time.perf_counter()
            index = DailyLessonIndexPage.objects.first()
            template = DailyLessonPage.objects.live().select_related("video").order_by("-lesson_date").first()
            if index is None or template is None:
                raise CommandError("请先加载演示内容：manage.py load_demo_data（需要八点半课堂栏目和至少一节每日一课）。")
            with override_settings(TASKS=DEFER_TASKS), transaction.atomic():
                for day in missing:
                    page = DailyLessonPage(
                        slug=f"{day:%Y-%m-%d}", title=f"{template.title}（{day:%m月%d日}）", lesson_date=day,
                        quote=template.quote, quote_source=template.quote_source, note=template.note,
                        video=template.video,
                    )
                    index.add_child(instance=page)
                    page.save_revision().publish()
                    existing[day] = page
            if getattr(settings, "COLLEGE_ALLOW_DEMO_DATA", False):
                quizzes.load_quizzes()  # 今日小测 for the new lessons
            self.writer.add("每日一课 DailyLessonPage（Wagtail）", len(missing), time.perf_counter() - started)
            self.stdout.write(f"每日一课：新增 {len(missing)} 节")
        return {day: existing[day] for day in wanted}

    # --- ledger ----------------------------------------------------------------------------------
    def _ledger(self, user_ids: list[int], lessons: dict[dt.date, DailyLessonPage]) -> None:
        from django.apps import apps

        from core.api import local_days

        tz = timezone.get_current_timezone()
        sample = user_ids[:500]  # a day is there when any of these trainees has an entry on it
        done_days = {day for day in self.days
                     if LedgerEntry.objects.filter(user_id__in=sample, occurred_at__range=local_days(day, day)).exists()}
        todo = [day for day in self.days if day not in done_days]
        if not todo:
            self.stdout.write("学习台账：各天均已存在，跳过")
            return
        quiz_model = apps.get_model("assessments", "Quiz") if apps.is_installed("assessments") else None
        quiz_of = {}
        if quiz_model is not None:
            quiz_of = dict(quiz_model.objects.filter(page_id__in=[p.pk for p in lessons.values()])
                           .order_by("-id").values_list("page_id", "id"))
        course_lessons = list(LessonPage.objects.live().values_list("id", "title", "credit_hours"))
        cases = list(CasePage.objects.live().values_list("id", "title"))
        daily_hours, daily_points = rules.daily_credit()
        quiz_hours, quiz_points = rules.quiz_credit()
        _, lesson_points = rules.lesson_credit(Decimal("0"))
        case_hours, case_points = rules.case_credit()
        # Each trainee's habit is fixed by their id, so every run (and every day added later) agrees.
        habit = {uid: 0.25 + 0.70 * random.Random(uid).random() for uid in user_ids}
        ledger_table, progress_table = LedgerEntry._meta.db_table, LessonProgress._meta.db_table
        ledger_columns = ["user_id", "kind", "object_id", "title", "credit_hours", "points", "occurred_at"]
        progress_columns = ["user_id", "page_id", "position_seconds", "effective_seconds", "last_session",
                            "last_beat_seq", "last_beat_at", "started_at", "updated_at", "completed_at"]
        existing_progress = set()
        if course_lessons or cases:  # course lessons and cases done before this run keep their one credit
            existing_progress = set(LedgerEntry.objects.filter(
                user__username__startswith=BENCH_USER_PREFIX, kind__in=[LedgerEntry.Kind.LESSON, LedgerEntry.Kind.CASE]
            ).values_list("user_id", "kind", "object_id"))
        total_started = time.perf_counter()
        for day in todo:
            rng = random.Random(SEED + day.toordinal())
            lesson = lessons.get(day)
            if lesson is None and not (course_lessons or cases):
                continue
            ledger, progress = [], []
            base = dt.datetime.combine(day, PUBLISH_TIME, tzinfo=tz)
            duration = float(lesson.video.duration or 300) if lesson and lesson.video else 300.0
            for uid in user_ids:
                # Workdays: the daily lesson, mostly right after 08:30; weekends only the odd case.
                if lesson is not None and rng.random() < habit[uid]:
                    minutes = rng.expovariate(1 / 40) if rng.random() < 0.7 else rng.uniform(60, 720)
                    when = base + dt.timedelta(minutes=min(minutes, 900), seconds=rng.randrange(60))
                    ledger.append((uid, "daily", lesson.pk, lesson.title, daily_hours, daily_points, when))
                    progress.append((uid, lesson.pk, duration, duration, "bench", 3, when,
                                     when - dt.timedelta(seconds=duration + 30), when, when))
                    quiz_id = quiz_of.get(lesson.pk)
                    if quiz_id and rng.random() < 0.6:
                        ledger.append((uid, "quiz", quiz_id, "今日小测", quiz_hours, quiz_points,
                                       when + dt.timedelta(seconds=90)))
                if course_lessons and rng.random() < (0.05 if lesson is not None else 0.01):
                    page_id, title, hours = course_lessons[rng.randrange(len(course_lessons))]
                    if (uid, "lesson", page_id) not in existing_progress:
                        existing_progress.add((uid, "lesson", page_id))
                        when = base + dt.timedelta(hours=rng.uniform(1, 12))
                        ledger.append((uid, "lesson", page_id, title, hours, lesson_points, when))
                        progress.append((uid, page_id, 600.0, 600.0, "bench", 20, when,
                                         when - dt.timedelta(minutes=11), when, when))
                if cases and rng.random() < 0.03:
                    page_id, title = cases[rng.randrange(len(cases))]
                    if (uid, "case", page_id) not in existing_progress:
                        existing_progress.add((uid, "case", page_id))
                        when = base + dt.timedelta(hours=rng.uniform(1, 12))
                        ledger.append((uid, "case", page_id, title, case_hours, case_points, when))
                        progress.append((uid, page_id, 0.0, float(rules.rule("case_min_reading_seconds")), "bench", 5,
                                         when, when - dt.timedelta(minutes=3), when, when))
            with transaction.atomic():  # one day at a time: an interrupted run leaves whole days
                self.writer.insert(ledger_table, ledger_columns, ledger, label="学习台账 learning_ledgerentry")
                self.writer.insert(progress_table, progress_columns, progress, label="学习进度 learning_lessonprogress")
            self.stdout.write(f"\r学习台账：{day}，{len(ledger):,} 条", ending="")
        self.stdout.write(f"\n学习台账：{len(todo)} 天，{time.perf_counter() - total_started:.1f} 秒")

    def _analyze(self) -> None:
        """Fresh planner statistics: after millions of COPYed rows the planner still believes the tables
        are empty (autovacuum gets there minutes later) and picks plans ten times slower — a production
        database has its statistics, and so must the bench."""
        if not self.writer.postgres:
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Organization, User, TraineeProfile, LedgerEntry, LessonProgress, OrgDailyStats,
                          GrowthRecord, GrowthSnapshot):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(f"ANALYZE：{time.perf_counter() - started:.1f} 秒")

    # --- projections -----------------------------------------------------------------------------
    def _rollups(self) -> None:
        from stats.services import stats_rebuild_day

        root = Organization.objects.get(code=BENCH_ORG_CODE)
        have = set(OrgDailyStats.objects.filter(organization=root, date__in=self.days).values_list("date", flat=True))
        todo = [day for day in self.days if day not in have]
        if not todo:
            self.stdout.write("每日统计：已存在，跳过")
            return
        started, rows = time.perf_counter(), 0
        for day in todo:
            rows += stats_rebuild_day(day)
            self.stdout.write(f"\r每日统计：{day}", ending="")
        self.writer.add("组织每日统计 OrgDailyStats（stats_rebuild_day）", rows, time.perf_counter() - started)
        self.stdout.write(f"\n每日统计：{len(todo)} 天，{rows:,} 行")

    def _growth(self, user_ids: list[int]) -> None:
        from learning.services.growth import growth_rebuild

        years = sorted({day.year for day in self.days})
        sample = user_ids[:500]
        for year in years:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            active = set(LedgerEntry.objects.filter(user_id__in=sample, occurred_at__date__range=(start, end))
                         .values_list("user_id", flat=True).distinct())
            recorded = set(GrowthRecord.objects.filter(year=year, user_id__in=sample).values_list("user_id", flat=True))
            if active <= recorded:
                self.stdout.write(f"成长记录 {year}：已存在，跳过")
                continue
            started = time.perf_counter()
            done = growth_rebuild(user_ids=user_ids, year=year, batch_size=5000)
            self.writer.add(f"成长记录 GrowthRecord {year}（growth_rebuild）", done, time.perf_counter() - started)
