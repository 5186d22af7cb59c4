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
