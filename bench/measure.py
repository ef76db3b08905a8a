"""In-process measurements for `make bench` (each run as its own process, prints one JSON object):

    python -m bench.measure beat-cost            # queries and ms per heartbeat (first, steady, completing)
    python -m bench.measure queries PAGES.json   # query count and in-process ms of pages, per administrator
    python -m bench.measure growth               # growth_rebuild rows/s vs a raw INSERT … ON CONFLICT DO UPDATE
    python -m bench.measure import ROWS          # trainee import of ROWS new trainees: seconds, peak memory
    python -m bench.measure export SCOPE         # trainee XLSX export (SCOPE: small|all): seconds, peak memory

Peak memory is the process's resident-set high-water mark (VmHWM, reset just before the measured
work through /proc/self/clear_refs) minus its resident size at that moment: what the work itself added.
"""

import datetime as dt
import io
import json
import os
import statistics
import sys
import time

import django


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()


def _status(field: str) -> int:
    """A /proc/self/status size in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class PeakMemory:
    """Resident memory added by the block: high-water mark during it minus resident size before it."""

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")  # reset VmHWM to the current RSS
        except OSError:
            pass
        self.before = _status("VmRSS")
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.peak = _status("VmHWM")
        self.added = max(0, self.peak - self.before)


def _client(user=None):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if user is not None:
        client.force_login(user)
    return client


def _bench_trainees(count: int | None = None, *, last: bool = False):
    from django.contrib.auth.models import User

    users = User.objects.filter(username__regex=r"^bench\d{6}$").order_by("-username" if last else "username")
    return list(users[:count]) if count else list(users)


# --- heartbeats -----------------------------------------------------------------------------------
def beat_cost(samples: int = 30) -> dict:
    """One trainee per sample (the per-user rate limit stays out of the way), on today's daily lesson:
    the first beat (creates the progress row), a steady one, and one 30 s later (the player's interval;
    the previous beat's time is moved back rather than waited for) that reaches the video's end and so
    also checks the completion requirements."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from bench.prepare import reset
    from cms import selectors as cms_selectors
    from learning.models import LessonProgress, WatchClock
    from learning.services.progress import media_seconds

    lesson = cms_selectors.current_daily_lesson()
    users = _bench_trainees(samples, last=True)
    reset([u.pk for u in users], [lesson.pk], [])
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat"
    duration = media_seconds(lesson)
    results = {"first": [], "steady": [], "completing": []}
    queries = {"first": [], "steady": [], "completing": []}
    statuses = set()
    client = _client()  # one client: a new one builds a new handler (WhiteNoise rescans the static files)
    for n, user in enumerate(users):
        client.force_login(user)
        session = f"measure-{n:04d}-session"
        plan = [("first", 1, 0.0, 0.0), ("steady", 2, 1.0, 1.0), ("completing", 3, duration, 30.0)]
        for kind, seq, position, watched in plan:
            if kind == "completing":
                LessonProgress.objects.filter(user=user, page_id=lesson.pk).update(
                    last_beat_at=F("last_beat_at") - dt.timedelta(seconds=30))
                WatchClock.objects.filter(user=user).update(  # as if the 30 s had passed for the trainee too
                    credited_until=F("credited_until") - dt.timedelta(seconds=30))
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url, {"session": session, "seq": seq, "position": position, "watched": watched},
                                       content_type="application/json")
                elapsed = time.perf_counter() - started
            statuses.add(response.status_code)
            if n > 0:  # the first user warms caches and connections
                results[kind].append(elapsed * 1000)
                queries[kind].append(len(captured))
        if n == samples - 1:
            last_sql = [q["sql"][:160] for q in captured.captured_queries]
    reset([u.pk for u in users], [lesson.pk], [])
    return {
        "samples": len(results["steady"]), "statuses": sorted(statuses), "lesson": lesson.url, "duration": duration,
        **{f"{kind}_ms_p50": round(statistics.median(v), 2) for kind, v in results.items() if v},
        **{f"{kind}_queries": max(set(v), key=v.count) for kind, v in queries.items() if v},
        "completing_sql": last_sql,
    }


def steady_beat_sql() -> list[str]:
    """The SQL of one steady beat, for the report."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.prepare import reset
    from cms import selectors as cms_selectors

    lesson = cms_selectors.current_daily_lesson()
    user = _bench_trainees(1, last=True)[0]
    reset([user.pk], [lesson.pk], [])
    client = _client(user)
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat"
    client.post(url, {"session": "sql-session-1", "seq": 1, "position": 0, "watched": 0}, content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        client.post(url, {"session": "sql-session-1", "seq": 2, "position": 1, "watched": 1},
                    content_type="application/json")
    reset([user.pk], [lesson.pk], [])
    return [q["sql"][:200] for q in captured.captured_queries]


# --- pages ----------------------------------------------------------------------------------------
def page_queries(pages: list[dict], repeat: int = 5) -> dict:
    """[{"name", "url", "user"}] → {name: {"status", "queries", "ms_p50"}} measured in-process (warm)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    clients = {}
    for page in pages:
        username = page.get("user")
        if username not in clients:
            clients[username] = _client(User.objects.get(username=username) if username else None)
        client = clients[username]
        times, counts, status = [], [], None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(page["url"])
                if getattr(response, "streaming", False):
                    for _chunk in response.streaming_content:
                        pass
                times.append((time.perf_counter() - started) * 1000)
            counts.append(len(captured))
            status = response.status_code
        out[page["name"]] = {"status": status, "queries": counts[-1], "ms_p50": round(statistics.median(times[1:] or times), 1)}
    return out


# --- growth ---------------------------------------------------------------------------------------
def growth() -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from growth.models import GrowthRecord
    from growth.services import growth_rebuild

    ids = [u.pk for u in _bench_trainees()]
    year = timezone.localdate().year
    started = time.perf_counter()
    done = growth_rebuild(user_ids=ids, year=year)
    rebuild_seconds = time.perf_counter() - started
    written = GrowthRecord.objects.filter(year=year, user_id__in=ids[:: max(1, len(ids) // 1000)]).count()

    raw = {}
    if connection.vendor == "postgresql":
        table = GrowthRecord._meta.db_table
        columns = ["user_id", "year", "credit_hours", "points", "target_hours", "current_streak", "longest_streak",
                   "streak_last_day", "daily_count", "lesson_count", "course_count", "case_count", "quiz_count",
                   "journal_count", "last_activity_at", "last_entry_id", "updated_at"]
        now = timezone.now()
        today = timezone.localdate()
        rows = [(uid, year, "12.25", 40, "50", 3, 9, today, 40, 2, 0, 1, 20, 0, now, uid * 7, now) for uid in ids]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[2:])
        batch = 1000
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_upsert")
            cursor.execute(f"CREATE TABLE bench_raw_upsert (LIKE {table} INCLUDING ALL)")
            try:
                for label in ("raw_insert", "raw_upsert"):  # first pass inserts, the second updates every row
                    started = time.perf_counter()
                    for offset in range(0, len(rows), batch):
                        chunk = rows[offset: offset + batch]
                        values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
                        with transaction.atomic():
                            cursor.execute(
                                f"INSERT INTO bench_raw_upsert ({', '.join(columns)}) VALUES {values} "
                                f"ON CONFLICT (user_id, year) DO UPDATE SET {updates}",
                                [v for row in chunk for v in row])
                    raw[label] = len(rows) / (time.perf_counter() - started)
                started = time.perf_counter()
                cursor.execute(
                    f"INSERT INTO bench_raw_upsert ({', '.join(columns)}) "
                    f"SELECT g, %s, 12.25, 40, 50, 3, 9, %s, 40, 2, 0, 1, 20, 0, %s, g * 7, %s "
                    f"FROM unnest(%s::bigint[]) AS g ON CONFLICT (user_id, year) DO UPDATE SET {updates}",
                    [year, today, now, now, ids])
                raw["server_side_upsert"] = len(rows) / (time.perf_counter() - started)
            finally:
                cursor.execute("DROP TABLE IF EXISTS bench_raw_upsert")
    rate = done / rebuild_seconds if rebuild_seconds else 0
    return {"trainees": done, "seconds": round(rebuild_seconds, 2), "rows_per_s": round(rate),
            "sampled_records_written": written, **{f"{k}_rows_per_s": round(v) for k, v in raw.items()},
            "ratio_to_raw_upsert": round(rate / raw["raw_upsert"], 3) if raw.get("raw_upsert") else None,
            "ratio_to_raw_insert": round(rate / raw["raw_insert"], 3) if raw.get("raw_insert") else None}


# --- import and export ------------------------------------------------------------------------------
IMPORT_PHONE_PREFIX = "19"  # 19 + 9 digits: valid mobile numbers no bench trainee (1000…) has


def _import_cleanup(phones: list[str]) -> None:
    from django.contrib.auth.models import User

    from orgs.api import TraineeProfile

    for offset in range(0, len(phones), 2000):
        chunk = phones[offset: offset + 2000]
        TraineeProfile.objects.filter(phone__in=chunk).delete()
        User.objects.filter(username__in=chunk).delete()


def trainee_import(rows: int) -> dict:
    from django.contrib.auth.models import User
    from openpyxl import Workbook

    from devtools.management.commands.bench_data import BENCH_ORG_CODE
    from orgs.api import Organization
    from orgs.imports import read_rows, validate_rows
    from orgs.services import trainee_import as do_import

    admin = User.objects.get(username="bench_admin")
    codes = list(Organization.objects.filter(code__startswith=BENCH_ORG_CODE, level="community")
                 .order_by("path").values_list("code", flat=True)[:5000])
    phones = [f"{IMPORT_PHONE_PREFIX}{n:09d}" for n in range(1, rows + 1)]
    _import_cleanup(phones)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学员")
    sheet.append(["姓名", "手机号", "所属组织", "岗位", "入职日期"])
    for n, phone in enumerate(phones):
        sheet.append([f"导入学员{n}", phone, codes[n % len(codes)], "社区工作者", "2024-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    try:
        with PeakMemory() as memory:
            parse_started = time.perf_counter()
            parsed = read_rows("trainees.xlsx", data)
            parse_seconds = time.perf_counter() - parse_started
            plan = validate_rows(admin_user=admin, parsed=parsed)
            validate_seconds = time.perf_counter() - parse_started - parse_seconds
            counts = do_import(admin_user=admin, parsed=parsed)
        created = counts.get("created")
        errors = [] if plan.ok else [str(e) for e in plan.errors[:3]]
    finally:
        _import_cleanup(phones)
    return {"rows": rows, "file_kb": len(data) // 1024, "seconds": round(memory.seconds, 2),
            "parse_seconds": round(parse_seconds, 2), "validate_seconds": round(validate_seconds, 2),
            "created": created, "errors": errors, "peak_mb": round(memory.added / 2**20, 1)}


def export_admin(share: float = 0.1):
    """An administrator of whole cities adding up to about `share` of the bench trainees."""
    from django.contrib.auth.models import Group, User

    from devtools.management.commands.bench_data import BENCH_ORG_CODE
    from orgs.api import OrgAdminRole, Organization, TraineeProfile

    user, created = User.objects.get_or_create(username="bench_export_admin", defaults={"first_name": "导出"})
    if created or not OrgAdminRole.objects.filter(user=user).exists():
        total = TraineeProfile.objects.filter(organization__code__startswith=BENCH_ORG_CODE).count()
        taken = 0
        for district in Organization.objects.filter(code__startswith=BENCH_ORG_CODE, level="district").order_by("path"):
            if taken >= total * share:
                break
            OrgAdminRole.objects.get_or_create(user=user, organization=district)
            taken += TraineeProfile.objects.filter(organization__path__startswith=district.path).count()
        group = Group.objects.filter(name="组织管理员").first()
        if group:
            user.groups.add(group)
    return user


def trainee_export(scope: str) -> dict:
    from django.contrib.auth.models import User

    from orgs.api import scoping

    user = export_admin() if scope == "small" else User.objects.get(username="bench_admin")
    rows = scoping.trainees_in_scope(user).count()
    client = _client(user)
    client.get("/admin/trainees/")  # warm: templates, URL resolvers, the admin menu
    with PeakMemory() as memory:
        response = client.get("/admin/trainees/?export=xlsx")
        status = response.status_code
        size = 0
        if getattr(response, "streaming", False):
            for chunk in response.streaming_content:
                size += len(chunk)
        else:
            size = len(response.content)
        del response
    return {"scope": scope, "rows": rows, "status": status, "bytes": size, "seconds": round(memory.seconds, 2),
            "peak_mb": round(memory.added / 2**20, 1)}


def main(argv=None):
    argv = argv or sys.argv[1:]
    _setup()
    command, rest = argv[0], argv[1:]
    if command == "beat-cost":
        result = beat_cost(int(rest[0]) if rest else 30)
        result["steady_sql"] = steady_beat_sql()
    elif command == "queries":
        with open(rest[0]) as fh:
            result = page_queries(json.load(fh))
    elif command == "growth":
        result = growth()
    elif command == "import":
        result = trainee_import(int(rest[0]))
    elif command == "export":
        result = trainee_export(rest[0])
    else:
        raise SystemExit(f"unknown measurement {command!r}")
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
