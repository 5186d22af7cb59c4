"""The Celery app of one hub; its broker and queue come from the hub's settings."""

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun, worker_ready

import hubnet.broker  # noqa: F401 - registers the sqlite-broker:// transport
from hubnet.env import Env

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.base")

app = Celery("hubnet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["hubs", "federation", "search", "standards", "alerts"])


def queue_name(kind: str, *, base: str | None = None) -> str:
    """The queue of one kind of work (``settings.TASK_QUEUE_KINDS``) of this hub:
    ``<default queue>.<kind>``, or the default queue itself for "default"."""
    base = base or app.conf.task_default_queue
    return base if kind == "default" else f"{base}.{kind}"


def task_route(name: str, args, kwargs, options, task=None, **kw) -> dict | None:  # noqa: ARG001  Celery router/signal signature
    """Celery router (``CELERY_TASK_ROUTES``): a task goes to its kind's queue,
    derived from the default queue at send time; others keep the default."""
    from django.conf import settings

    kind = settings.TASK_QUEUE_OF.get(name)
    return None if kind is None else {"queue": queue_name(kind)}


@worker_ready.connect
def _announce_worker(sender, **kwargs) -> None:  # noqa: ARG001  Celery router/signal signature
    """Record a heartbeat as soon as a worker is up, so health turns green at once."""
    from hubs.tasks import heartbeat_record_task

    heartbeat_record_task.delay()


@task_prerun.connect
def _task_log_context_enter(sender=None, task_id=None, **kwargs) -> None:  # noqa: ARG001  Celery signal signature
    """Every line a task logs carries its id (``hubnet.logs``)."""
    from hubnet.logs import task_context_enter

    task_context_enter(task_id=task_id)


@task_postrun.connect
def _task_log_context_leave(sender=None, task_id=None, **kwargs) -> None:  # noqa: ARG001  Celery signal signature
    from hubnet.logs import task_context_leave

    task_context_leave(task_id=task_id)


def _worker_logging(**kwargs) -> None:
    from hubnet.logs import worker_logging_configure

    worker_logging_configure()


if Env().choice("LOG_FORMAT", ("plain", "json"), "plain") == "json":
    # Connected, the signal replaces Celery's own logging set-up; the plain
    # format keeps Celery's (people read it in the demo).
    setup_logging.connect(_worker_logging, weak=False)
