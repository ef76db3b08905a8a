"""The embedded broker (`make run`: kombu's file-system transport) and a worker killed with -9: the queued
tasks wait on disk for the next worker; the one task in hand is gone (the transport has no
acknowledgements), and the minute catch-up redoes its effect — every growth record ends up right."""

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from config.settings.broker import filesystem_broker_options
from growth.models import GrowthRecord
from growth.tasks import growth_refresh_task
from tests.growth.test_growth_faults import _bulk_trainees
from tests.worker import publishing_to, start_beat, start_worker, stop, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_on_the_embedded_broker_leaves_the_queue_on_disk_and_every_record_right(tmp_path):
    users = _bulk_trainees(300)
    folder = tmp_path / "broker"
    options = filesystem_broker_options(folder)
    with publishing_to("filesystem://", options):
        for user in users:
            growth_refresh_task.delay(user.pk)
    queued = lambda: len(list((folder / "queue").iterdir()))  # noqa: E731
    assert queued() == len(users)

    env = {"CELERY_BROKER_DIR": str(folder)}
    log = tmp_path / "worker.log"
    worker = start_worker(broker_url="filesystem://", log=log, **env)
    try:
        assert wait_for(lambda: GrowthRecord.objects.filter(user__in=users).count() >= 20, timeout=90,
                        interval=0.05), log.read_text()[-3000:]
        stop(worker, kill=True)
        done, left = GrowthRecord.objects.filter(user__in=users).count(), queued()
        assert left > 0 and done + left < len(users) + 2, "the kill came too late to test anything"
        time.sleep(1)
        assert queued() == left, "queued tasks stay on disk while no worker runs"
        worker = start_worker(broker_url="filesystem://", log=log, **env)
        beat = start_beat(broker_url="filesystem://", workdir=tmp_path, env=env)
        try:
            assert wait_for(lambda: GrowthRecord.objects.filter(user__in=users).count() == len(users),
                            timeout=150, interval=1), log.read_text()[-3000:]
        finally:
            stop(beat)
    finally:
        stop(worker)
    wrong = GrowthRecord.objects.filter(user__in=users, year=timezone.localdate().year).exclude(
        credit_hours=Decimal("1.0"), points=4, lesson_count=1, daily_count=1)
    assert not wrong.exists()
