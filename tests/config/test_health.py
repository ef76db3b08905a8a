"""/healthz: database, broker and the age of the periodic jobs, 503 when any of them is wrong."""

import datetime as dt
import time

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from config import health
from core import jobs
from core.models import JobRun
from learning.tasks_reminders import beat_tick_task

pytestmark = pytest.mark.django_db

KEYS = {"status", "database", "broker", "beat_tick_age_seconds", "growth_refresh_age_seconds",
        "stats_refresh_age_seconds"}


def _ticks():
    beat_tick_task.delay()
    with jobs.job_run("growth-catch-up"):
        pass


def _get(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.status_code, response.json()


def test_all_fine_after_the_jobs_have_run(client):
    _ticks()
    status, body = _get(client)
    assert status == 200, body
    assert KEYS <= body.keys()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"
    assert 0 <= body["beat_tick_age_seconds"] <= 5 and 0 <= body["growth_refresh_age_seconds"] <= 5
    assert JobRun.objects.get(name="beat-tick").runs == 1


def test_a_stale_beat_tick_is_a_503(client):
    _ticks()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        with jobs.job_run("growth-catch-up"):  # the growth job is fresh: only the tick is stale
            pass
        status, body = _get(client)
    assert status == 503
    assert body["status"] == "degraded" and body["problems"] == ["beat_tick"]
    assert 595 <= body["beat_tick_age_seconds"] <= 605 and body["growth_refresh_age_seconds"] <= 5


@override_settings(HEALTHZ_MAX_TICK_AGE=30)
def test_the_limit_is_a_setting(client):
    _ticks()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=45), tick=False):
        status, body = _get(client)
    assert status == 503 and set(body["problems"]) == {"beat_tick", "growth_refresh"}


def test_an_unreachable_broker_is_a_503(client):
    _ticks()
    started = time.monotonic()
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        status, body = _get(client)
    assert status == 503
    assert body["broker"] == "error" and body["database"] == "ok" and body["problems"] == ["broker"]
    assert time.monotonic() - started < 10, "the check must give up quickly"


def test_the_filesystem_broker_needs_its_folders(client, tmp_path):
    _ticks()
    folders = {key: tmp_path / key for key in ("in", "control")}
    for folder in folders.values():
        folder.mkdir()
    options = {"data_folder_in": str(folders["in"]), "data_folder_out": str(folders["in"]),
               "control_folder": str(folders["control"]), "processed_folder": str(tmp_path / "processed"),
               "store_processed": False}
    with override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options):
        assert _get(client)[0] == 200
        folders["control"].rmdir()
        status, body = _get(client)
    assert status == 503 and body["broker"] == "error"


def test_a_fresh_install_without_job_runs(client):
    JobRun.objects.all().delete()
    status, body = _get(client)
    assert status == 200
    assert body["beat_tick_age_seconds"] is None and body["growth_refresh_age_seconds"] is None
    with override_settings(HEALTHZ_REQUIRE_JOBS=True):  # production: beat must have run
        status, body = _get(client)
    assert status == 503 and set(body["problems"]) == {"beat_tick", "growth_refresh", "stats_refresh"}


def test_statistics_older_than_ten_minutes_are_a_503(client):
    _ticks()
    with jobs.job_run("stats-refresh"):
        pass
    assert _get(client)[0] == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=False):
        _ticks()  # beat and growth are fresh: only the administrators' figures are stale
        status, body = _get(client)
    assert status == 503 and body["problems"] == ["stats_refresh"]
    assert 655 <= body["stats_refresh_age_seconds"] <= 665


def test_a_job_that_only_ever_failed_is_stale(client):
    _ticks()
    JobRun.objects.filter(name="growth-catch-up").delete()
    with pytest.raises(RuntimeError), jobs.job_run("growth-catch-up"):
        raise RuntimeError("数据库连接中断")
    status, body = _get(client)
    assert status == 503 and body["problems"] == ["growth_refresh"]
    job = JobRun.objects.get(name="growth-catch-up")
    assert job.failures == 1 and "数据库连接中断" in job.last_error


def test_a_database_failure_is_a_503(client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: False)
    status, body = _get(client)
    assert status == 503
    assert body["database"] == "error" and "database" in body["problems"]
    assert body["beat_tick_age_seconds"] is None


def test_a_job_that_started_and_never_finished_past_its_time_is_a_503(client):
    """Hole 10 of the outside probe: a rebuild whose worker was killed half-way must not read "ok"."""
    _ticks()
    started = timezone.now()
    jobs.job_started("stats-finalise")  # the worker dies here: no success, no failure recorded
    jobs.job_started("growth-rebuild")
    with jobs.job_run("stats-refresh"):
        pass
    with time_machine.travel(started + dt.timedelta(minutes=59), tick=False):
        _ticks()
        with jobs.job_run("stats-refresh"):
            pass
        assert _get(client) == (200, _get(client)[1]) and _get(client)[1]["unfinished_jobs"] == []
    with time_machine.travel(started + dt.timedelta(minutes=61), tick=False):
        _ticks()
        with jobs.job_run("stats-refresh"):
            pass
        status, body = _get(client)
    assert status == 503 and body["problems"] == ["job_unfinished"]
    assert body["unfinished_jobs"] == ["stats-finalise"]  # the nightly rebuild may still run for 4 hours
    with time_machine.travel(started + dt.timedelta(minutes=62), tick=False):
        with pytest.raises(RuntimeError), jobs.job_run("stats-finalise"):
            raise RuntimeError("the rerun fails, and says so")
        _ticks()
        with jobs.job_run("stats-refresh"):
            pass
        assert "stats-finalise" not in _get(client)[1]["unfinished_jobs"]  # failed is reported, not unfinished
