"""The Celery app of one hub; its broker and queue come from the hub's settings."""

import os

from celery import Celery
from celery.signals import worker_ready

import hubnet.broker  # noqa: F401 - registers the sqlite-broker:// transport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.base")

app = Celery("hubnet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["hubs", "federation", "search"])


@worker_ready.connect
def _announce_worker(sender, **kwargs) -> None:
    """Record a heartbeat as soon as a worker is up, so health turns green at once."""
    from hubs.tasks import heartbeat_record_task

    heartbeat_record_task.delay()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        "heartbeat": {
            "task": "hubs.tasks.heartbeat_record_task",
            "schedule": float(settings.HEARTBEAT_INTERVAL),
        },
        **getattr(settings, "CELERY_EXTRA_BEAT_SCHEDULE", {}),
    }
