"""The Celery app's router: each kind of work goes to its own queue, derived from
the hub's default queue when the task is sent."""

import pytest

from federation.tasks import (
    neighbour_poke_task,
    neighbour_sync_task,
    neighbours_sync_task,
)
from hubnet.celery import app
from hubs.tasks import heartbeat_record_task
from search.tasks import index_drain_task


@pytest.fixture
def default_queue():
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = "hub-test"
    try:
        yield "hub-test"
    finally:
        app.conf.task_default_queue = previous


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        (neighbour_sync_task, "hub-test.sync"),
        (neighbour_poke_task, "hub-test.poke"),
        (index_drain_task, "hub-test.index"),
        (heartbeat_record_task, "hub-test.health"),
        (neighbours_sync_task, "hub-test"),
    ],
    ids=["sync", "poke", "index", "health", "default"],
)
def test_each_kind_of_work_has_its_queue(default_queue, task, queue):
    route = app.amqp.router.route({}, task.name)
    assert route["queue"].name == queue


def test_an_explicit_queue_wins_over_the_route(default_queue):
    route = app.amqp.router.route({"queue": "elsewhere"}, neighbour_sync_task.name)
    assert route["queue"].name == "elsewhere"


def test_the_beat_schedule_is_the_settings_one_of_registered_tasks_on_their_queues(
    default_queue,
):
    # given: the app as a worker with --beat loads it (settings, task modules)
    from django.conf import settings

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    # when: beat sends each entry (its options, through the router)
    sent = {
        name: (
            entry["task"],
            entry["schedule"],
            app.amqp.router.route(dict(entry.get("options", {})), entry["task"])[
                "queue"
            ].name,
        )
        for name, entry in schedule.items()
    }
    # then: one schedule, from settings, of registered tasks on their kinds' queues
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert all(task in app.tasks for task, _, _ in sent.values())
    assert sent == {
        "heartbeat": (
            "hubs.tasks.heartbeat_record_task",
            float(settings.HEARTBEAT_INTERVAL),
            "hub-test.health",
        ),
        "sync-neighbours": (
            "federation.tasks.neighbours_sync_task",
            float(settings.SYNC_INTERVAL),
            "hub-test",
        ),
        "search-index-drain": (
            "search.tasks.index_drain_task",
            float(settings.SEARCH_DRAIN_INTERVAL),
            "hub-test.index",
        ),
        "search-embeddings-fill": (
            "search.tasks.embeddings_fill_task",
            float(settings.SEARCH_EMBED_INTERVAL),
            "hub-test.embed",
        ),
        "sync-history-prune": (
            "federation.tasks.sync_history_prune_task",
            float(settings.SYNC_PRUNE_INTERVAL),
            "hub-test",
        ),
        "harvest-due": ("standards.tasks.harvest_due_task", 60.0, "hub-test"),
        "alerts-digests": (
            "alerts.tasks.digests_due_enqueue_task",
            float(settings.ALERTS_CHECK_INTERVAL),
            "hub-test",
        ),
        "alerts-webhooks": (
            "alerts.tasks.webhooks_check_task",
            float(settings.ALERTS_CHECK_INTERVAL),
            "hub-test",
        ),
    }
