"""Fixtures for the federation services' tests."""

import uuid
from collections.abc import Callable, Iterator

import pytest

from hubnet.celery import app, queue_name


@pytest.fixture
def poke_queue() -> Iterator[Callable[[], list[int]]]:
    """A private queue on the configured broker; the callable takes the poke
    tasks sent there so far and returns their neighbour ids, sorted."""
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = f"test-{uuid.uuid4().hex[:8]}"
    name = queue_name("poke")

    def taken() -> list[int]:
        ids = []
        with app.connection_for_write() as connection:
            queue = connection.SimpleQueue(name)
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        return sorted(ids)
                    assert message.headers["task"] == (
                        "federation.tasks.neighbour_poke_task"
                    )
                    ids.append(message.payload[1]["neighbour_id"])
                    message.ack()
            finally:
                queue.close()

    try:
        yield taken
    finally:
        taken()
        app.conf.task_default_queue = previous
