"""`make bench [PRESET=small|full]`: the college under a provincial 08:30 on this machine.

    make bench                 # small preset (CI smoke test: every scenario runs, a few minutes)
    make bench PRESET=full     # 71,000 organisations, 100,000 trainees, 60 days; bursts of 100/500/1000

What it does, on PostgreSQL (127.0.0.1:5432, database `college_bench` or `college_bench_ci`, created if
missing) and Redis (127.0.0.1:6379, database 13, flushed between scenarios):

1. migrate, load the demo college, `manage.py bench_data --preset …` (idempotent), collectstatic;
2. `bench/prepare.py`: logged-in sessions for the simulated trainees and administrators, the
   10-question bench quiz, and a clean slate for the trainees each scenario uses;
3. gunicorn with `config.settings.production` (4 sync workers: the README's deployment, and the
   Moodle reference's 4 PHP-FPM workers on the same 2 cores), bound to 127.0.0.1 only;
4. the scenarios, each with locust headless and a hard time limit, or in-process where the thing
   measured has no HTTP face (growth rebuild, import, export memory, queries per request);
5. `bench/results/<date>-<preset>.md`: one Markdown table per scenario, ratios measured in the same
   run, targets marked ✅/❌. Raw locust CSVs and logs stay in `var/bench/<preset>/`.

Exits non-zero when a scenario could not run (crash, timeout, no successful request, an exception in
a locustfile) — never because a target was missed: the machine is shared and CI times nothing.
"""

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILES = ROOT / "bench" / "locustfiles"
RESULTS = ROOT / "bench" / "results"

PRESETS = {
    "small": {
        "database": "college_bench_ci", "data": "small", "workers": 4,
        "ratio_users": 20, "ratio_seconds": 6, "bursts": [20, 50], "beat_seconds": 2, "quiz": [25],
        "reports_users": 3, "reports_seconds": 6, "import_rows": 1_000, "beat_samples": 10,
    },
    "full": {
        "database": "college_bench", "data": "full", "workers": 4,
        "ratio_users": 50, "ratio_seconds": 20, "bursts": [100, 500, 1000], "beat_seconds": 3, "quiz": [200],
        "reports_users": 4, "reports_seconds": 20, "import_rows": 10_000, "beat_samples": 30,
    },
}
TARGETS = {
    "burst_p95_ms": 1000, "page_ratio": 0.15, "quiz_submit_p95_ms": 500, "growth_ratio": 0.25,
    "dashboard_p95_ms": 100, "export_growth_mb": 50,
}
REPORT_PAGES = [  # (name, URL template, administrator) — the statistics pages of issue 7
    ("省 province dashboard", "/admin/stats/orgs/{province}/", "bench_admin"),
    ("市 city dashboard", "/admin/stats/orgs/{city}/", "bench_city_admin"),
    ("街道 street dashboard", "/admin/stats/orgs/{street}/", "bench_street_admin"),
    ("今日未学 absent (street)", "/admin/stats/absent/?org={street}", "bench_street_admin"),
    ("今日未学 absent (city)", "/admin/stats/absent/?org={city}", "bench_city_admin"),
    ("API stats org (province)", "/api/v1/stats/orgs/{province}", "bench_admin"),
    ("API absent (street)", "/api/v1/stats/orgs/{street}/absent", "bench_street_admin"),
    ("admin home panel /admin/", "/admin/", "bench_city_admin"),
]
FALLBACK_PAGES = [("trainee list /admin/trainees/ (harness check)", "/admin/trainees/", "bench_city_admin")]


class ScenarioFailed(Exception):
    pass


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def fmt(value, digits=0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


class Bench:
    def __init__(self, preset: str, keep_server: bool = False):
        self.preset_name = preset
        self.preset = PRESETS[preset]
        self.work = ROOT / "var" / "bench" / preset
        self.work.mkdir(parents=True, exist_ok=True)
        self.sections: list[str] = []
        self.failures: list[str] = []
        self.server = None
        self.port = None
        database_url = os.environ.get("BENCH_DATABASE_URL",
                                      f"postgres://postgres@127.0.0.1:5432/{self.preset['database']}")
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
            "SECRET_KEY": "bench-" + "x" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
            "MEDIA_ROOT": str(self.work / "media"),
            "SECURE_HSTS_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.started = time.time()

    # --- plumbing ------------------------------------------------------------------------------
    def run(self, args: list[str], *, settings="bench.settings", timeout=600, log: str | None = None,
            extra_env: dict | None = None) -> str:
        env = {**self.env, "DJANGO_SETTINGS_MODULE": settings, **(extra_env or {})}
        print(f"$ {' '.join(args)}", flush=True)
        try:
            done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ScenarioFailed(f"{' '.join(args[:4])}… timed out after {timeout} s") from exc
        if log:
            (self.work / log).write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout)[-1500:]
            raise ScenarioFailed(f"{' '.join(args[:4])}… exited {done.returncode}:\n{tail}")
        return done.stdout

    def manage(self, *args, **kwargs) -> str:
        return self.run([str(BIN / "python"), "manage.py", *args], **kwargs)

    def measure(self, *args, timeout=1800) -> dict:
        out = self.run([str(BIN / "python"), "-m", "bench.measure", *args], timeout=timeout,
                       log=f"measure-{args[0]}-{'-'.join(args[1:])}.log".replace("/", "_"))
        return json.loads(out.strip().splitlines()[-1])

    def scenario(self, title: str, func) -> None:
        print(f"\n=== {title}", flush=True)
        started = time.time()
        try:
            func()
        except ScenarioFailed as exc:
            self.failures.append(f"{title}: {exc}")
            self.sections.append(f"## {title}\n\n**did not run**: `{str(exc)[:600]}`\n")
            print(f"!!! {title} failed: {exc}", flush=True)
        print(f"=== {title}: {time.time() - started:.0f} s", flush=True)

    # --- set-up ----------------------------------------------------------------------------------
    def create_database(self) -> None:
        import psycopg

        url = self.env["DATABASE_URL"]
        name = url.rsplit("/", 1)[1]
        if not name.startswith("college_bench"):
            raise SystemExit(f"refusing: the bench database must be called college_bench…, not {name}")
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"created database {name}")

    def setup(self) -> None:
        self.create_database()
        started = time.time()
        self.manage("migrate", "--noinput", timeout=900, log="migrate.log")
        self.manage("load_demo_data", timeout=900, log="load_demo_data.log")
        data_started = time.time()
        out = self.manage("bench_data", "--preset", self.preset["data"], timeout=3600, log="bench_data.log")
        data_seconds = time.time() - data_started
        self.manage("collectstatic", "--noinput", settings="config.settings.production", timeout=900,
                    log="collectstatic.log")
        self.data_report(out, data_seconds, time.time() - started)

    def data_report(self, out: str, seconds: float, total: float) -> None:
        rows = [line for line in out.splitlines() if line.count(" | ") == 3 and not line.startswith("表")]
        saved = self.work / "data-report.md"  # the run that built this database: its rows/s stay reportable
        table = ["| table | rows | seconds | rows/s |", "|---|---:|---:|---:|"]
        table += [f"| {' | '.join(cell.strip() for cell in row.split(' | '))} |" for row in rows]
        summary = next((line for line in out.splitlines() if line.startswith("基准数据：")), "")
        if any("每日统计" in row or "学习台账" in row for row in rows):
            saved.write_text(f"Built on {dt.datetime.now(dt.UTC):%Y-%m-%d} in {seconds:.0f} s (bench_data alone).\n\n"
                             + "\n".join(table) + "\n")
        lines = [f"## Data: `manage.py bench_data --preset {self.preset['data']}`", "", summary, "",
                 f"bench_data took {seconds:.1f} s this run (set-up including migrate, demo content and "
                 f"collectstatic: {total:.0f} s)."]
        if rows:
            lines += ["", *table]
        if saved.exists() and not any("学习台账" in row for row in rows):
            lines[-1] += " Everything existed, so nothing was inserted; the database was built by an earlier run:"
            lines += ["", saved.read_text()]
        self.sections.append("\n".join(lines) + "\n")

    def prepare(self, users: int, reset_only=False) -> None:
        args = [str(BIN / "python"), "-m", "bench.prepare", "--users", str(users), "--out", str(self.config_path)]
        self.run(args + (["--reset-only"] if reset_only else []), timeout=600, log="prepare.log")
        if not reset_only:
            self.config = json.loads(self.config_path.read_text())

    @property
    def config_path(self) -> Path:
        return self.work / "config.json"

    # --- the server ----------------------------------------------------------------------------
    def start_server(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
        log = open(self.work / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--workers", str(self.preset["workers"]),
             "--bind", f"127.0.0.1:{self.port}", "--backlog", "2048", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(120):
            with contextlib.suppress(OSError):
                probe = urllib.request.Request(self.url("/healthz/live"), headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        break
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited: {(self.work / 'gunicorn.log').read_text()[-2000:]}")
            time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer /healthz/live within 60 s")
        print(f"gunicorn: {self.preset['workers']} workers on 127.0.0.1:{self.port}", flush=True)

    def stop_server(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
        self.server = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # --- locust --------------------------------------------------------------------------------
    def locust(self, name: str, locustfile: str, users: int, seconds: int, *classes: str, env=None) -> dict:
        """Run locust headless, bounded in time; returns {request name: stats row} plus "Aggregated"."""
        prefix = self.work / f"locust-{name}"
        for old in [*self.work.glob(f"locust-{name}_*.csv"), *self.work.glob(f"locust-{name}.json")]:
            old.unlink()
        args = [str(BIN / "locust"), "-f", str(LOCUSTFILES / locustfile), "--headless", "--host", self.url(""),
                "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "5",
                "--csv", str(prefix), "--json-file", str(prefix), "--only-summary", "--exit-code-on-error", "0", "--loglevel", "WARNING",
                *classes]
        run_env = {"BENCH_CONFIG": str(self.config_path), "BENCH_USERS": str(users), **(env or {})}
        self.run(args, settings="", timeout=seconds + 120, log=f"locust-{name}.log", extra_env=run_env)
        if not Path(f"{prefix}.json").exists():
            raise ScenarioFailed(f"locust wrote no statistics for {name}")
        exceptions = Path(f"{prefix}_exceptions.csv")
        if exceptions.exists():
            with exceptions.open() as fh:
                rows = list(csv.DictReader(fh))
            if rows:
                raise ScenarioFailed(f"locustfile raised in {name}: {rows[0].get('Message', '')[:300]}")
        entries = json.loads(Path(f"{prefix}.json").read_text())
        stats = {entry["name"]: summarise([entry]) for entry in entries}
        stats["Aggregated"] = total = summarise(entries)
        if total["count"] <= total["errors"]:
            failures = Path(f"{prefix}_failures.csv").read_text()[:500] if Path(f"{prefix}_failures.csv").exists() else ""
            raise ScenarioFailed(f"no successful request in {name}: {failures}")
        return stats

    @staticmethod
    def row(stats: dict, name: str) -> dict:
        return stats.get(name, {})

    # --- scenarios -------------------------------------------------------------------------------
    def scenario_ratio(self) -> None:
        users, seconds = self.preset["ratio_users"], self.preset["ratio_seconds"]
        runs = []
        for label, cls in (("trivial-1", "TrivialView"), ("page", "DailyPage"), ("trivial-2", "TrivialView")):
            self.prepare(0, reset_only=True)  # rate-limit counters out of the way
            stats = self.locust(f"ratio-{label}", "trivial.py", users, seconds, cls, env={"BENCH_USERS": "0"})
            runs.append((label, self.row(stats, "Aggregated")))
        trivial = [r for label, r in runs if label.startswith("trivial")]
        trivial_rps = sum(r["rps"] for r in trivial) / len(trivial)
        page = runs[1][1]
        ratio = page["rps"] / trivial_rps if trivial_rps else 0
        self.ratio = {"trivial_rps": trivial_rps, "page_rps": page["rps"], "ratio": ratio}
        lines = [
            "## 1a. Daily lesson page vs a trivial view (same server, same run)", "",
            f"{users} locust users in a closed loop (no wait) for {seconds} s each: `/healthz/live` (a view that "
            "touches nothing), then the daily lesson page as a logged-in trainee, then `/healthz/live` again "
            "(the trivial rate is the mean of both, to cancel drift on a shared machine).", "",
            "| run | requests | errors | req/s | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|---:|"]
        for label, r in runs:
            lines.append(f"| {label} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['rps'], 1)} | {fmt(r['p50'])} "
                         f"| {fmt(r['p95'])} | {fmt(r['p99'])} |")
        ok = ratio >= TARGETS["page_ratio"]
        lines += ["", f"**Ratio daily page ÷ trivial view: {ratio:.1%}** (target ≥ {TARGETS['page_ratio']:.0%}) "
                  f"{mark(ok)}. Moodle 5.1.3's course page in the issue's reference: ~17 ÷ ~5,200 ≈ 0.3 %.", ""]
        self.sections.append("\n".join(lines))

    def scenario_burst(self) -> None:
        results = []
        by_name = {}
        for users in self.preset["bursts"]:
            self.prepare(users, reset_only=True)
            stats = self.locust(f"burst-{users}", "burst.py", users, 300, "MorningTrainee",
                                env={"BENCH_BEAT_SECONDS": str(self.preset["beat_seconds"])})
            total = self.row(stats, "Aggregated")
            results.append((users, total))
            by_name[users] = {name: self.row(stats, name) for name in stats if name != "Aggregated"}
        biggest = self.preset["bursts"][-1]
        lines = [
            "## 1. The 08:30 burst", "",
            "N trainees with prepared sessions start at the same instant (locust's `spawning_complete`), open "
            "`/daily/today/` (302) and the lesson, play it with heartbeats (compressed: one every "
            f"{self.preset['beat_seconds']} s, each claiming the wall time since the previous one) and finish "
            "with the lesson's quiz (start, save, submit), which completes the lesson and writes its ledger "
            "entry. Each user runs once; the run ends when the last one finishes.", "",
            "| N | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | target (N=1000: 0 errors, p95 ≤ 1 s) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for users, r in results:
            ok = (r["errors"] == 0 and (r["p95"] or 0) <= TARGETS["burst_p95_ms"]) if users >= 1000 else None
            lines.append(f"| {users} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['rps'], 1)} | {fmt(r['p50'])} | "
                         f"{fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['max'])} | {mark(ok)} |")
        lines += ["", f"Per request, N = {biggest}:", "",
                  "| request | count | errors | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
        for name, r in sorted(by_name[biggest].items()):
            lines.append(f"| {name} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['p50'])} | {fmt(r['p95'])} | "
                         f"{fmt(r['p99'])} |")
        self.burst = {users: r for users, r in results}
        self.burst_names = by_name
        self.sections.append("\n".join(lines) + "\n")

    def scenario_beat_cost(self) -> None:
        result = self.measure("beat-cost", str(self.preset["beat_samples"]))
        http = {}
        for users, names in getattr(self, "burst_names", {}).items():
            http[users] = names.get("heartbeat", {})
        lines = [
            "## 1b. Cost per heartbeat", "",
            f"Measured in-process through the whole Django stack (session, CSRF, rate limit in Redis, the "
            f"service) on `{result['lesson']}`, one trainee per sample ({result['samples']} samples, p50):", "",
            "| beat | SQL queries | ms |", "|---|---:|---:|",
            f"| first of a session (creates the progress row) | {result.get('first_queries')} | {result.get('first_ms_p50')} |",
            f"| steady (every 30 s while playing) | {result.get('steady_queries')} | {result.get('steady_ms_p50')} |",
            f"| reaching the end 30 s later (checks completion requirements) | {result.get('completing_queries')} | "
            f"{result.get('completing_ms_p50')} |", ""]
        steady = result.get("steady_ms_p50") or 0
        if steady:
            lines.append(f"At {steady} ms of one worker per steady beat, one CPU core absorbs ≈ {1000 / steady:,.0f} "
                         f"beats/s: 30,000 trainees beating every 30 s (1,000 beats/s) need ≈ {steady:.1f} cores of "
                         "web workers (plus PostgreSQL's share), against twice that at a 15 s interval.")
        for users, r in http.items():
            if r:
                lines.append(f"Over HTTP in the N = {users} burst: heartbeat p50 {fmt(r['p50'])} ms, p95 {fmt(r['p95'])} ms "
                             f"({fmt(r['count'])} beats, {fmt(r['errors'])} errors).")
        lines += ["", "Steady beat SQL:", "", "```sql", *result.get("steady_sql", []), "```", ""]
        self.sections.append("\n".join(lines))

    def scenario_quiz(self) -> None:
        lines = ["## 2. Quiz burst", "",
                 f"N trainees start the {self.config['quiz']['questions']}-question bench quiz at the same instant, "
                 "save their answers, wait for each other and submit at the same instant.", "",
                 "| N | request | count | errors | p50 ms | p95 ms | p99 ms | target (N=200: submit p95 ≤ 500 ms) |",
                 "|---:|---|---:|---:|---:|---:|---:|---|"]
        for users in self.preset["quiz"]:
            self.prepare(users, reset_only=True)
            stats = self.locust(f"quiz-{users}", "quiz.py", users, 180, "QuizTaker")
            for name in ("quiz start", "quiz save answers", "quiz submit"):
                r = self.row(stats, name)
                if not r:
                    continue
                ok = (r["errors"] == 0 and (r["p95"] or 0) <= TARGETS["quiz_submit_p95_ms"]) \
                    if name == "quiz submit" and users >= 200 else None
                lines.append(f"| {users} | {name} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['p50'])} | "
                             f"{fmt(r['p95'])} | {fmt(r['p99'])} | {mark(ok)} |")
        self.sections.append("\n".join(lines) + "\n")

    def scenario_reports(self) -> None:
        admins = self.config["admins"]
        ids = {"province": admins["bench_admin"]["org_id"], "city": admins["bench_city_admin"]["org_id"],
               "street": admins["bench_street_admin"]["org_id"]}
        pages = [{"name": name, "url": url.format(**ids), "admin": admin, "user": admin}
                 for name, url, admin in REPORT_PAGES + FALLBACK_PAGES]
        pages_file = self.work / "report-pages.json"
        pages_file.write_text(json.dumps(pages, ensure_ascii=False))
        queries = self.measure("queries", str(pages_file))
        live = [p for p in pages if queries.get(p["name"], {}).get("status") == 200]
        missing = [p for p in pages if p not in live]
        if not live:
            raise ScenarioFailed(f"no report page answered 200: {queries}")
        self.prepare(0, reset_only=True)
        stats = self.locust("reports", "reports.py", self.preset["reports_users"], self.preset["reports_seconds"],
                            "Administrator", env={"BENCH_REPORTS": json.dumps(live, ensure_ascii=False)})
        org_count = self.config.get("org_count")
        lines = ["## 4. Reports", "",
                 f"{self.preset['reports_users']} administrators (province: superuser; city and street: "
                 f"`OrgAdminRole`) load their pages in a closed loop for {self.preset['reports_seconds']} s over "
                 f"gunicorn; queries counted in-process on a warm request. Scopes: province "
                 f"{admins['bench_admin']['org_name']}, city {admins['bench_city_admin']['org_name']}, street "
                 f"{admins['bench_street_admin']['org_name']}{f' ({org_count:,} organisations)' if org_count else ''}.", "",
                 "| page | URL | requests | errors | p50 ms | p95 ms | SQL queries | target p95 ≤ 100 ms |",
                 "|---|---|---:|---:|---:|---:|---:|---|"]
        for page in live:
            r = self.row(stats, page["name"])
            ok = (r["p95"] or 0) <= TARGETS["dashboard_p95_ms"] and r["errors"] == 0 if r else None
            is_fallback = page["url"] == "/admin/trainees/"
            lines.append(f"| {page['name']} | `{page['url']}` | {fmt(r.get('count'))} | {fmt(r.get('errors'))} | "
                         f"{fmt(r.get('p50'))} | {fmt(r.get('p95'))} | {queries[page['name']]['queries']} | "
                         f"{'(not a target)' if is_fallback else mark(ok)} |")
        for page in missing:
            lines.append(f"| {page['name']} | `{page['url']}` | not measured: HTTP {queries.get(page['name'], {}).get('status')} "
                         "| | | | | |")
        self.sections.append("\n".join(lines) + "\n")

    def scenario_growth(self) -> None:
        r = self.measure("growth", timeout=3600)
        ok = r["ratio_to_raw_upsert"] is not None and r["ratio_to_raw_upsert"] >= TARGETS["growth_ratio"]
        lines = ["## 3. Growth recompute", "",
                 f"`growth_rebuild` of all {r['trainees']:,} bench trainees for this year (records and weekly "
                 "snapshots, in its default batches), against a raw `INSERT … ON CONFLICT (user_id, year) DO UPDATE` "
                 "of as many rows into a copy of the growth-record table (`LIKE … INCLUDING ALL`), sent in "
                 "multi-row statements of 1,000 rows from Python — the raw write the rebuild ends in.", "",
                 "| what | rows/s |", "|---|---:|",
                 f"| growth_rebuild ({r['seconds']} s) | {fmt(r['rows_per_s'])} |",
                 f"| raw upsert, rows already present (updates) | {fmt(r.get('raw_upsert_rows_per_s'))} |",
                 f"| raw upsert, empty table (inserts) | {fmt(r.get('raw_insert_rows_per_s'))} |",
                 f"| for scale: one server-side `INSERT … SELECT … ON CONFLICT` | {fmt(r.get('server_side_upsert_rows_per_s'))} |",
                 "", f"**Ratio rebuild ÷ raw upsert: {fmt(r['ratio_to_raw_upsert'], 3)}** (target ≥ "
                 f"{TARGETS['growth_ratio']}) {mark(ok)}; ÷ raw insert: {fmt(r['ratio_to_raw_insert'], 3)}.", ""]
        self.sections.append("\n".join(lines))

    def scenario_import_export(self) -> None:
        imported = self.measure("import", str(self.preset["import_rows"]))
        small = self.measure("export", "small")
        full = self.measure("export", "all")
        growth = full["peak_mb"] - small["peak_mb"]
        ok = growth <= TARGETS["export_growth_mb"]
        lines = ["## 5. Import and export", "",
                 "Each in a fresh process; memory is the resident-set high-water mark during the work minus the "
                 "resident size just before it.", "",
                 "| what | rows | seconds | peak memory added (MB) | notes |", "|---|---:|---:|---:|---|",
                 f"| trainee import (.xlsx, {imported['file_kb']} KB): parse + validate + write | {fmt(imported['rows'])} | "
                 f"{imported['seconds']} | {imported['peak_mb']} | parse {imported['parse_seconds']} s, validate "
                 f"{imported['validate_seconds']} s, created {imported['created']}{'; errors: ' + '; '.join(imported['errors']) if imported['errors'] else ''} |",
                 f"| trainee export `/admin/trainees/?export=xlsx`, district administrator | {fmt(small['rows'])} | "
                 f"{small['seconds']} | {small['peak_mb']} | {small['bytes'] // 1024:,} KB |",
                 f"| trainee export `/admin/trainees/?export=xlsx`, superuser | {fmt(full['rows'])} | {full['seconds']} | "
                 f"{full['peak_mb']} | {full['bytes'] // 1024:,} KB |",
                 "", f"**Export memory growth from {small['rows']:,} to {full['rows']:,} rows: {growth:.1f} MB** "
                 f"(target ≤ {TARGETS['export_growth_mb']} MB from 10,000 to 100,000) {mark(ok)}.", ""]
        self.sections.append("\n".join(lines))

    # --- the whole run -----------------------------------------------------------------------------
    def write_results(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))  # Beijing time, like the college
        path = RESULTS / f"{now:%Y-%m-%d}-{self.preset_name}.md"
        load = os.getloadavg()
        head = [f"# make bench — preset `{self.preset_name}`, {now:%Y-%m-%d %H:%M} (UTC+8)", "",
                f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
                f"load average at the end {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} (a shared machine: other jobs "
                "ran at the same time, so absolute numbers are noisy; the ratios are measured within one run). "
                f"gunicorn {self.preset['workers']} sync workers with `config.settings.production`, PostgreSQL and "
                "Redis on the same machine, locust on the same cores as the server. Total time "
                f"{time.time() - self.started:.0f} s.", ""]
        if self.failures:
            head += ["**Scenarios that did not run:** " + "; ".join(f.split(":")[0] for f in self.failures), ""]
        path.write_text("\n".join(head + self.sections) + "\n")
        return path

    def all(self, only: list[str] | None = None) -> int:
        want = set(only or ["ratio", "burst", "beat", "quiz", "reports", "growth", "io"])
        try:
            self.scenario("set-up", self.setup)
            if self.failures:
                raise SystemExit(self.failures[0])
            self.prepare(max([*self.preset["bursts"], *self.preset["quiz"], 1]))
            self.start_server()
            if "ratio" in want:
                self.scenario("1a. page vs trivial view", self.scenario_ratio)
            if "burst" in want:
                self.scenario("1. 08:30 burst", self.scenario_burst)
            if "beat" in want:
                self.scenario("1b. heartbeat cost", self.scenario_beat_cost)
            if "quiz" in want:
                self.scenario("2. quiz burst", self.scenario_quiz)
            if "reports" in want:
                self.scenario("4. reports", self.scenario_reports)
        finally:
            self.stop_server()
        if "growth" in want:
            self.scenario("3. growth recompute", self.scenario_growth)
        if "io" in want:
            self.scenario("5. import and export", self.scenario_import_export)
        self.sections.sort(key=section_order)
        path = self.write_results()
        print(f"\nresults: {path.relative_to(ROOT)}")
        print(path.read_text())
        if self.failures:
            print("\nscenarios that did not run:\n" + "\n".join(self.failures), file=sys.stderr)
            return 1
        return 0


def summarise(entries: list[dict]) -> dict:
    """Locust's final per-request statistics (its --json-file entries) merged: count, errors, req/s over
    the time requests were made, and percentiles from its response-time buckets."""
    buckets: dict[float, int] = {}
    for entry in entries:
        for key, count in entry["response_times"].items():
            buckets[float(key)] = buckets.get(float(key), 0) + count
    count = sum(entry["num_requests"] for entry in entries)
    start = min(entry["start_time"] for entry in entries)
    end = max(entry["last_request_timestamp"] or start for entry in entries)
    ordered = sorted(buckets.items())

    def percentile(share: float) -> float | None:
        if not ordered:
            return None
        needed, seen = share * sum(buckets.values()), 0
        for value, hits in ordered:
            seen += hits
            if seen >= needed:
                return value
        return ordered[-1][0]

    return {"count": count, "errors": sum(entry["num_failures"] for entry in entries),
            "rps": count / (end - start) if end > start else None, "seconds": end - start,
            "p50": percentile(0.50), "p95": percentile(0.95), "p99": percentile(0.99),
            "avg": sum(e["total_response_time"] for e in entries) / count if count else None,
            "max": max((e["max_response_time"] or 0) for e in entries)}


def section_order(section: str) -> tuple:
    match = re.match(r"## (\d+)([a-z]?)", section)
    if section.startswith("## Data"):
        return (0, "")
    return (int(match.group(1)), match.group(2)) if match else (99, "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default=os.environ.get("PRESET", "small"))
    parser.add_argument("--only", action="append", help="ratio, burst, beat, quiz, reports, growth, io (repeatable)")
    args = parser.parse_args(argv)
    if not shutil.which("locust", path=str(BIN)):
        raise SystemExit("locust is missing: make install (it is in the [bench] extra)")
    return Bench(args.preset).all(args.only)


if __name__ == "__main__":
    sys.exit(main())
