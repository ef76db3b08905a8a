"""The Celery application: one instance for web, worker and beat."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("college")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _warm_up_segmenter(**_kwargs):
    # jieba costs ~0.5 s and ~60 MiB to initialise: do it once before the pool forks.
    from cms.search import warm_up

    warm_up()
