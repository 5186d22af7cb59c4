"""Fixtures for the federation services' tests."""

from collections.abc import Callable

import pytest

from tests.conftest import SentTask


@pytest.fixture
def poke_queue(
    broker_queue: Callable[[str], list[SentTask]],
) -> Callable[[], list[int]]:
    """The callable takes the poke tasks sent so far (to a private queue) and
    returns their neighbour ids, sorted."""

    def taken() -> list[int]:
        sent = broker_queue("poke")
        assert {task.name for task in sent} <= {"federation.tasks.neighbour_poke_task"}
        return sorted(task.kwargs["neighbour_id"] for task in sent)

    return taken
