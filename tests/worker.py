"""Start a real Celery worker process against the test database, on a queue of its own."""

import contextlib
import datetime as dt
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

from django.conf import settings

from tests import clock

ROOT = Path(__file__).resolve().parent.parent


def _env(broker_url: str | None, **extra) -> dict:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        **extra,
    }


def start_worker(*, broker_url: str | None = None, queue: str = "celery", log: Path | None = None,
                 at: dt.datetime | None = None, **env) -> subprocess.Popen:
    """A worker process; `at` starts its clock at that instant (ticking on from there)."""
    out = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        clock.command("celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
                      "--without-mingle", "--without-heartbeat", "-Q", queue, "--loglevel=INFO", shifted=bool(at)),
        cwd=ROOT, env=_env(broker_url, **env, **(clock.child_offset(at) if at else {})),
        stdout=out, stderr=subprocess.STDOUT,
    )


def start_beat(*, broker_url: str, workdir: Path, at: dt.datetime | None = None, env: dict | None = None
               ) -> subprocess.Popen:
    """A beat process (DatabaseScheduler, the test database); `at` starts its clock at that instant."""
    return subprocess.Popen(
        clock.command("celery", "-A", "config", "beat", "--loglevel=INFO", "--pidfile", str(workdir / "beat.pid"),
                      shifted=bool(at)),
        cwd=ROOT, env=_env(broker_url, **(env or {}), **(clock.child_offset(at) if at else {})),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if kill:
        process.kill()
    else:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def celery_worker(*, broker_url: str | None = None):
    """Yields the queue name the worker consumes; stops the worker afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = start_worker(broker_url=broker_url, queue=queue)
    try:
        yield queue
    finally:
        stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def own_redis(port: int, workdir: Path):
    """A private redis-server on a spare port (never the shared one), stopped afterwards."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _listening(port), timeout=10)
        yield process
    finally:
        stop(process)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def publishing_to(broker_url: str, transport_options: dict | None = None):
    """Make this test process really publish to `broker_url` (tests otherwise run Celery eagerly)."""
    from config.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, os.environ.get("CELERY_BROKER_URL"),
             app.conf.broker_transport_options)
    # Celery reads the CELERY_BROKER_URL environment variable before its own configuration.
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, broker_url
    app.conf.broker_transport_options = transport_options or saved[3]
    app._pool, app.amqp._producer_pool = None, None  # pools are keyed by the old URL
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved[:2]
        app.conf.broker_transport_options = saved[3]
        if saved[2] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved[2]
        app._pool, app.amqp._producer_pool = None, None


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
