"""`make faults`: thousands of heartbeat, quiz and credit events while the Celery worker is killed, the broker is
down for a minute and PostgreSQL restarts — then count what was lost and what was credited twice.

Everything runs on private servers started here on spare ports (never the shared ones): a PostgreSQL
cluster in a temporary folder (initdb), a redis-server that keeps nothing on disk (stopping it loses its
queue, the hard case), gunicorn with the production settings, one worker and beat. Simulated trainees
(threads, one keep-alive connection each) play the quickest lessons with a beat every ~2.2 s — in real
time: the watch clock credits no more than the wall time that passed — replay some beats, then take the
bench quiz (start, autosave, submit, a replayed submit). A request that fails is kept and sent again, as
the player and the quiz page do. Meanwhile, on a fixed timeline:

    t+10 s  the worker is killed (-9) and a new one starts 5 s later
    t+25 s  Redis stops (its queued tasks are gone) and starts again at t+85 s
    t+100 s PostgreSQL stops (immediate: a crash) and starts again

Then, within two minutes, every trainee's growth record must equal a rebuild from the ledger.

Counted: lost = acknowledged watch time, completions or quiz results missing from the database;
duplicated = ledger credits for the same activity twice, or a replay that credited anything; server
errors while the broker was down (must be 0) and 503s while PostgreSQL restarted (sent again).
Prints one summary line and, last, the counts as JSON; exits 1 when anything was lost or duplicated.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BEAT_EVERY = 2.2  # seconds between a simulated player's beats (the real one: 30 s, learning.rules)
TIMELINE = {"kill_worker": 10, "worker_back": 15, "redis_down": 25, "redis_up": 85, "postgres_restart": 100}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


class PrivatePostgres:
    """A throwaway cluster: initdb in `folder`, trust auth, fsync off (a process crash, not a power cut)."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/college_faults"

    def _run(self, *args) -> None:
        done = subprocess.run([*self.as_postgres, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise SystemExit(f"{args[0]} failed: {done.stderr[-1500:]}")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} "
                   "-c fsync=off -c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "postgres.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE college_faults")


class PrivateRedis:
    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


class Services:
    """The college's processes on the private servers: gunicorn, one Celery worker, beat."""

    def __init__(self, work: Path, pg: PrivatePostgres, redis: PrivateRedis):
        self.work, self.port, self.processes = work, free_port(), {}
        self.env = {
            **os.environ, "DATABASE_URL": pg.url, "CELERY_BROKER_URL": redis.url,
            "SECRET_KEY": "faults-" + secrets.token_hex(30), "COLLEGE_INITIAL_PASSWORD": "Faults#Initial-2026",
            "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(work / "static"), "MEDIA_ROOT": str(work / "media"),
            "SECURE_HSTS_SECONDS": "0", "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        }

    def manage(self, *args: str) -> None:
        done = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                              env={**self.env, "DJANGO_SETTINGS_MODULE": "bench.settings"}, timeout=600)
        if done.returncode:
            raise SystemExit(f"manage.py {args[0]} failed: {(done.stderr or done.stdout)[-2000:]}")

    def _start(self, name: str, args: list[str]) -> None:
        log = open(self.work / f"{name}.log", "a")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def start_web(self) -> None:
        self._start("gunicorn", [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--threads", "4",
                                 "--keep-alive", "10", "--bind", f"127.0.0.1:{self.port}", "--timeout", "60"])
        wait_listening(self.port, timeout=60)

    def start_worker(self) -> None:
        self._start("worker", [str(BIN / "celery"), "-A", "config", "worker", "--pool=solo", "--without-gossip",
                               "--without-mingle", "--without-heartbeat", "--loglevel=INFO"])

    def start_beat(self) -> None:
        self._start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
                             "--pidfile", str(self.work / "beat.pid")])

    def kill(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait(timeout=15)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)


class Tally:
    """Thread-safe counts, and what the server acknowledged (to look for afterwards)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = Counter()  # requests by kind, retries included
        self.statuses = Counter()  # (window, status)
        self.window = "normal"
        self.watched = {}  # (user_id, page_id) -> highest acknowledged effective_seconds
        self.completed = set()  # (user_id, page_id) acknowledged as completed
        self.submitted = {}  # attempt id -> (user_id, quiz_id, score, passed)
        self.replays = Counter()  # kind -> replays sent
        self.replay_credited = 0
        self.samples = {}  # "kind status" -> the first answer seen, to say why

    def sample(self, kind: str, status: int, raw: bytes) -> None:
        if status not in (200, 201):
            with self.lock:
                self.samples.setdefault(f"{kind} {status}", raw[:200].decode(errors="replace"))

    def count(self, kind: str, status: int) -> None:
        with self.lock:
            self.sent[kind] += 1
            self.statuses[(self.window, status)] += 1


class Trainee(threading.Thread):
    def __init__(self, account: dict, port: int, lessons: list[dict], quiz_id: int, deadline: float, tally: Tally):
        super().__init__(daemon=True)
        self.account, self.port, self.lessons, self.quiz_id = account, port, lessons, quiz_id
        self.deadline, self.tally, self.conn = deadline, tally, None
        self.random = random.Random(account["user_id"])
        origin = f"https://127.0.0.1:{port}"  # the Host the server sees: the CSRF origin check compares them
        self.headers = {"Content-Type": "application/json", "X-Forwarded-Proto": "https", "Origin": origin,
                        "Referer": origin + "/", "X-CSRFToken": account["csrftoken"],
                        "Cookie": f"sessionid={account['sessionid']}; csrftoken={account['csrftoken']}"}

    def call(self, kind: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        for fresh in (self.conn is None, True):  # a keep-alive connection the server closed: one new try
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, json.dumps(body) if body is not None else None, self.headers)
                response = self.conn.getresponse()
                status, raw = response.status, response.read()
                break
            except (OSError, http.client.HTTPException):
                self.conn, status, raw = None, 0, b""
                if fresh:
                    break
        self.tally.count(kind, status)
        self.tally.sample(kind, status, raw)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    def until_answered(self, kind: str, method: str, path: str, body: dict | None = None, ok=(200, 201)):
        """Send until the server answers for real (a 5xx, 429 or a dropped connection is sent again)."""
        while time.monotonic() < self.deadline + 60:
            status, data = self.call(kind, method, path, body)
            if status in ok or 400 <= status < 500 and status != 429:
                return status, data
            time.sleep(1 + self.random.random())
        return 0, None

    def watch(self, lesson: dict) -> bool:
        session, seq, pending = secrets.token_hex(8), 0, 0.0
        last = time.monotonic()
        key = (self.account["user_id"], lesson["id"])
        path = f"/api/v1/lessons/{lesson['id']}/heartbeat"
        while time.monotonic() < self.deadline:
            time.sleep(BEAT_EVERY * (0.8 + 0.4 * self.random.random()))
            now = time.monotonic()
            pending, last = pending + (now - last), now
            seq += 1
            claim = min(pending, 120.0)
            body = {"session": session, "seq": seq, "position": min(lesson["seconds"], seq * BEAT_EVERY),
                    "watched": round(claim, 2)}
            status, data = self.call("heartbeat", "POST", path, body)
            if status == 0 or status == 429 or status >= 500:
                continue  # not recorded: the player keeps the seconds and claims them with the next beat
            pending -= claim  # recorded, or refused (the player drops a refused claim: learning/player_core.js)
            if status != 200:
                continue
            with self.tally.lock:
                self.tally.watched[key] = max(self.tally.watched.get(key, 0), data["effective_seconds"])
                if data["completed"]:
                    self.tally.completed.add(key)
            if self.random.random() < 0.05:  # a replayed beat (a proxy's retry): it must credit nothing
                replay_status, replay = self.call("heartbeat replay", "POST", path, body)
                with self.tally.lock:
                    self.tally.replays["heartbeat"] += 1
                    if replay_status == 200 and replay.get("credited_seconds", 0) > 0:
                        self.tally.replay_credited += 1
            if data["completed"]:
                return True
        return False

    def take_quiz(self) -> None:
        status, attempt = self.until_answered("quiz", "POST", f"/api/v1/quizzes/{self.quiz_id}/attempts")
        if status not in (200, 201):
            return
        answers = {str(q["id"]): {"single": "A", "multiple": ["A", "B"], "truefalse": True}.get(q["kind"], "社区")
                   for q in attempt["questions"]}
        for share in (0.5, 1.0):  # autosave twice, the second time every answer
            part = dict(list(answers.items())[: max(1, int(len(answers) * share))])
            self.until_answered("quiz", "PUT", f"/api/v1/attempts/{attempt['id']}/answers", {"answers": part})
        status, result = self.until_answered("quiz", "POST", f"/api/v1/attempts/{attempt['id']}/submit")
        if status == 200:
            with self.tally.lock:
                self.tally.submitted[attempt["id"]] = (self.account["user_id"], self.quiz_id, result["score"],
                                                       result["passed"])
        replay_status, _ = self.call("quiz replay", "POST", f"/api/v1/attempts/{attempt['id']}/submit")
        with self.tally.lock:
            self.tally.replays["submit"] += 1

    def run(self) -> None:
        done = 0
        for lesson in self.lessons:
            if time.monotonic() >= self.deadline:
                break
            done += self.watch(lesson)
            if done == 2:
                self.take_quiz()


def faults_timeline(services: Services, redis: PrivateRedis, pg: PrivatePostgres, tally: Tally, log: list) -> None:
    start = time.monotonic()

    def at(second: int) -> None:
        time.sleep(max(0.0, start + second - time.monotonic()))

    def mark(event: str) -> None:
        log.append(f"t+{time.monotonic() - start:5.1f}s {event}")
        print(log[-1], flush=True)

    at(TIMELINE["kill_worker"])
    services.kill("worker")
    mark("worker killed (-9)")
    at(TIMELINE["worker_back"])
    services.start_worker()
    mark("a new worker started")
    at(TIMELINE["redis_down"])
    with tally.lock:
        tally.window = "broker down"
    redis.stop()
    mark("Redis stopped: its queue is gone")
    at(TIMELINE["redis_up"])
    redis.start()
    with tally.lock:
        tally.window = "normal"
    mark("Redis started again (empty)")
    at(TIMELINE["postgres_restart"])
    with tally.lock:
        tally.window = "postgres restart"
    down = time.monotonic()
    pg.stop("immediate")
    pg.start()
    with tally.lock:
        tally.window = "normal"
    mark(f"PostgreSQL crashed and restarted ({time.monotonic() - down:.1f} s down)")


def _setup_django(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY",
                                           "COLLEGE_INITIAL_PASSWORD", "ALLOWED_HOSTS", "STATIC_ROOT", "MEDIA_ROOT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def quick_lessons(count: int) -> list[dict]:
    """Live lessons without a quiz, quickest to complete first (short videos, then short readings)."""
    from assessments.models import Quiz
    from cms.models import LessonPage
    from learning.services.progress import media_seconds, required_seconds

    with_quiz = set(Quiz.objects.values_list("page_id", flat=True))
    lessons = [{"id": page.pk, "required": required_seconds(page), "seconds": media_seconds(page) or 60}
               for page in LessonPage.objects.live().specific() if page.pk not in with_quiz]
    return sorted(lessons, key=lambda lesson: (lesson["required"], lesson["id"]))[:count]


def projections_equal_a_rebuild(user_ids: list[int]) -> bool:
    """Rebuild the growth records inside a transaction that is rolled back, and compare."""
    from django.db import close_old_connections, connection, transaction
    from django.utils import timezone

    from growth.models import GrowthRecord
    from growth.services import growth_rebuild

    close_old_connections()
    fields = ["user_id", "credit_hours", "points", "lesson_count", "daily_count", "quiz_count", "course_count",
              "current_streak", "longest_streak", "last_entry_id"]
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            before = list(GrowthRecord.objects.filter(user_id__in=user_ids, year=year).order_by("user_id")
                          .values_list(*fields))
            growth_rebuild(user_ids=user_ids, year=year)
            after = list(GrowthRecord.objects.filter(user_id__in=user_ids, year=year).order_by("user_id")
                         .values_list(*fields))
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - the database may still be coming back: not equal yet
        connection.close()
        return False
    return before == after


def lost_and_duplicated(tally: Tally, user_ids: list[int]) -> dict:
    from django.db.models import Count

    from assessments.models import Attempt
    from learning.models import LedgerEntry, LessonProgress

    stored = dict(((row["user_id"], row["page_id"]), row["effective_seconds"]) for row in
                  LessonProgress.objects.filter(user_id__in=user_ids).values("user_id", "page_id", "effective_seconds"))
    credited = set(LedgerEntry.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "object_id"))
    # The answer rounds effective_seconds to 0.1 s.
    lost_seconds = [key for key, seconds in tally.watched.items() if stored.get(key, 0) + 0.051 < seconds]
    lost_completions = [key for key in tally.completed if (key[0], "lesson", key[1]) not in credited]
    attempts = {a.pk: a for a in Attempt.objects.filter(pk__in=list(tally.submitted))}
    lost_quiz = [pk for pk, (user_id, quiz_id, score, passed) in tally.submitted.items()
                 if pk not in attempts or attempts[pk].status != "graded" or attempts[pk].score != Decimal(str(score))
                 or (passed and (user_id, "quiz", quiz_id) not in credited)]
    twice = (LedgerEntry.objects.filter(user_id__in=user_ids).values("user_id", "kind", "object_id")
             .annotate(n=Count("id")).filter(n__gt=1).count())
    return {"lost_watch": len(lost_seconds), "lost_completions": len(lost_completions), "lost_quiz": len(lost_quiz),
            "duplicated_credits": twice, "replays_that_credited": tally.replay_credited,
            "ledger_credits": LedgerEntry.objects.filter(user_id__in=user_ids).count()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=150)
    parser.add_argument("--seconds", type=int, default=150, help="length of the load (the timeline needs ≥ 110)")
    parser.add_argument("--json", help="also write the counts to this file")
    args = parser.parse_args(argv)
    if args.seconds < 110:
        parser.error("--seconds must be at least 110 (the last fault comes at t+100 s)")
    work = Path(tempfile.mkdtemp(prefix="college-faults-"))
    work.chmod(0o755)  # the private cluster's postgres user must reach its folder
    pg, redis = PrivatePostgres(work / "pg"), PrivateRedis(work)
    services = Services(work, pg, redis)
    began = time.monotonic()
    try:
        pg.start()
        pg.create_database()
        redis.start()
        for command in (["migrate", "--no-input"], ["load_demo_data", "--skip-index"],
                        ["bench_data", "--orgs", "30", "--trainees", str(args.trainees), "--days", "1"]):
            services.manage(*command)
        _setup_django(services.env)
        from bench import prepare

        quiz = prepare.bench_quiz()
        accounts = prepare.sessions([f"bench{n:06d}" for n in range(1, args.trainees + 1)])
        lessons = quick_lessons(12)
        user_ids = [account["user_id"] for account in accounts]
        print(f"set-up: private PostgreSQL :{pg.port}, Redis :{redis.port}, {len(accounts)} trainees, "
              f"{len(lessons)} lessons, in {time.monotonic() - began:.0f} s", flush=True)
        services.start_web()
        services.start_worker()
        services.start_beat()

        tally, log = Tally(), []
        deadline = time.monotonic() + args.seconds
        trainees = [Trainee(a, services.port, lessons, quiz.pk, deadline, tally) for a in accounts]
        faults = threading.Thread(target=faults_timeline, args=(services, redis, pg, tally, log), daemon=True)
        faults.start()
        for trainee in trainees:
            trainee.start()
            time.sleep(0.02)
        for trainee in trainees:
            trainee.join()
        faults.join()
        load_ended = time.monotonic()

        converged = None
        while time.monotonic() - load_ended < 120:
            if projections_equal_a_rebuild(user_ids):
                converged = time.monotonic() - load_ended
                break
            time.sleep(3)
        counts = lost_and_duplicated(tally, user_ids)
    finally:
        services.stop_all()
        with contextlib.suppress(Exception):
            redis.stop()
        with contextlib.suppress(BaseException):
            pg.stop("fast")
    statuses = tally.statuses
    result = {
        "events": sum(tally.sent.values()), "by_kind": dict(tally.sent), "replays": dict(tally.replays),
        "server_errors_broker_down": sum(n for (w, s), n in statuses.items() if w == "broker down" and s >= 500),
        "answered_broker_down": sum(n for (w, s), n in statuses.items() if w == "broker down" and 0 < s < 500),
        "refused_postgres_restart": sum(n for (w, s), n in statuses.items() if w == "postgres restart" and s in (0, 503)),
        "http_500": sum(n for (_, s), n in statuses.items() if s == 500),
        "dropped_connections": sum(n for (_, s), n in statuses.items() if s == 0),
        "statuses": {f"{w} {s}": n for (w, s), n in sorted(statuses.items())},
        "converged_seconds": None if converged is None else round(converged, 1),
        "timeline": log, "samples": tally.samples, **counts,
        "acknowledged": sum(n for (_, s), n in statuses.items() if s in (200, 201)),
    }
    lost = counts["lost_watch"] + counts["lost_completions"] + counts["lost_quiz"]
    duplicated = counts["duplicated_credits"] + counts["replays_that_credited"]
    print(f"faults: {result['events']:,} events ({tally.sent['heartbeat']:,} beats, "
          f"{sum(tally.replays.values())} replays, {tally.sent['quiz']:,} quiz calls, "
          f"{counts['ledger_credits']:,} credits); worker killed, Redis down 60 s "
          f"({result['server_errors_broker_down']} server errors, {result['answered_broker_down']:,} answered), "
          f"PostgreSQL restarted ({result['refused_postgres_restart']} refused and sent again); "
          f"lost {lost}, duplicated {duplicated}; growth records equal to a rebuild "
          + (f"{converged:.0f} s after the load" if converged is not None else "NOT within 2 minutes"), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False))
    ran = result["acknowledged"] > result["events"] / 2 and tally.submitted  # not a load of refusals
    if not ran:
        print(f"the load did not run: {result['acknowledged']} of {result['events']} acknowledged; "
              f"answers: {tally.samples}", file=sys.stderr)
    ok = ran and not lost and not duplicated and converged is not None and not result["server_errors_broker_down"]
    if ok and not result["http_500"]:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    print(f"logs kept in {work}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
