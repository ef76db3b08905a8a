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
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.report import ScenarioFailed, section_order, summarise
from bench.scenarios import Scenarios

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
class Bench(Scenarios):
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
            "COLLEGE_INITIAL_PASSWORD": "Bench#Initial-2026",  # production requires one; a throwaway bench college
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
