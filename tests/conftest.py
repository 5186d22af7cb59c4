"""Shared fixtures: the real search node, a real Celery worker process, URLs.

A service the tests need and cannot reach fails the session loudly; nothing is
skipped.
"""

import os
import shutil
import socket
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.core.cache import cache

from hubnet.processes import ProcessGroup, wait_until

ROOT = Path(__file__).resolve().parent.parent
TEST_VAR_DIR = ROOT / "var" / "test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``postgresql`` proves something only PostgreSQL can show
    (SQLite runs one writer at a time). On another database it is skipped, unless
    HUBNET_TEST_REQUIRE_POSTGRESQL is set (CI sets it): then it fails, like any
    missing service."""
    marker = item.get_closest_marker("postgresql")
    if marker is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    why = f"needs PostgreSQL, runs on {connection.vendor}: {marker.kwargs['reason']}"
    if os.environ.get("HUBNET_TEST_REQUIRE_POSTGRESQL"):
        pytest.fail(f"{why} (HUBNET_TEST_REQUIRE_POSTGRESQL is set)")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def throttle_counts_cleared():
    """Every test starts with fresh API throttle counts: they live in the cache,
    which outlives a test, and every API shares them per client address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def search_url() -> Iterator[str]:
    """A real OpenSearch node: SEARCH_URL when CI started one, else the embedded."""
    from search import embedded_node

    given = os.environ.get("HUBNET_TEST_SEARCH_URL")
    if given:
        try:
            requests.get(f"{given}/_cluster/health", timeout=10).raise_for_status()
        except requests.RequestException as error:
            pytest.fail(f"HUBNET_TEST_SEARCH_URL={given} is not reachable: {error}")
        yield given
        return
    # One node per test session: parallel sessions never stop each other's node.
    data_dir = TEST_VAR_DIR / f"search-node-{os.getpid()}"
    status = embedded_node.node_start(port=free_port(), data_dir=data_dir)
    try:
        yield status.url
    finally:
        embedded_node.node_stop(data_dir=data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def search_settings(settings, search_url: str):
    """Point this hub's settings at the real search node for one test."""
    from search import engine

    settings.SEARCH_URL = search_url
    engine.search_engine.cache_clear()
    yield settings
    engine.search_engine.cache_clear()


@dataclass(frozen=True)
class SentTask:
    """A task message as the broker holds it: the task's name and keywords."""

    name: str
    kwargs: dict[str, Any]


@pytest.fixture
def broker_queue() -> Iterator[Callable[[str], list[SentTask]]]:
    """Private queues on the configured broker for one test (a default queue of
    its own, so its queue of each kind is too); the callable takes the tasks sent
    so far to the queue of one kind ("poke", "index", ...), in the order sent."""
    from hubnet.celery import app, queue_name

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = f"test-{uuid.uuid4().hex[:8]}"

    def taken(kind: str) -> list[SentTask]:
        sent = []
        with app.connection_for_write() as connection:
            queue = connection.SimpleQueue(queue_name(kind))
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        return sent
                    _, kwargs, _ = message.payload
                    sent.append(SentTask(message.headers["task"], kwargs))
                    message.ack()
            finally:
                queue.close()

    try:
        yield taken
    finally:
        for kind in settings.TASK_QUEUE_KINDS:
            taken(kind)
        app.conf.task_default_queue = previous


def test_database_url() -> str:
    """The URL of the test database, for processes the tests start."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{database['NAME']}"))


test_database_url.__test__ = False  # a helper, not a test


def worker_environ(queue: str, **extra: str) -> dict[str, str]:
    """The environment of a worker process the tests start: this test's
    database, the test settings and its own queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubnet.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[str]:
    """A separate Celery worker process on this test's database and a private queue.

    Yields the queue name; tasks sent there run in the other process.
    """
    from hubnet.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    environ = worker_environ(queue)
    log_path = TEST_VAR_DIR / "logs" / f"worker-{queue}.log"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    with ProcessGroup() as group:
        worker = group.start(
            "worker",
            [sys.executable, "-m", "hubnet", "worker"],
            env=environ,
            log_path=log_path,
        )
        ready = wait_until(
            lambda: "ready." in worker.log_tail(lines=200) or not worker.alive(),
            timeout=60,
        )
        if not ready or not worker.alive():
            pytest.fail(
                f"the Celery worker did not start:\n{worker.log_tail(lines=60)}"
            )
        try:
            yield queue
        finally:
            app.conf.task_default_queue = previous_queue


@pytest.fixture
def hub_worker_processes(transactional_db) -> Iterator[Callable[..., str]]:
    """Start a hub's worker processes as ``hub_start`` does (without beat), on
    this test's database and a private queue; ``start(**env)`` adds variables
    and returns the queue name."""
    from hubnet.celery import app
    from hubnet.localnet import hub_workers

    previous_queue = app.conf.task_default_queue
    with ProcessGroup() as group:

        def start(**extra_env: str) -> str:
            queue = f"test-{uuid.uuid4().hex[:8]}"
            environ = worker_environ(queue, **extra_env)
            app.conf.task_default_queue = queue
            workers = []
            for name, args in hub_workers("hub").items():
                workers.append(
                    group.start(
                        name,
                        [
                            sys.executable,
                            "-m",
                            "hubnet",
                            *(a for a in args if a != "--beat"),
                        ],
                        env=environ,
                        log_path=TEST_VAR_DIR / "logs" / f"{name}-{queue}.log",
                    )
                )
            for worker in workers:
                ready = wait_until(
                    lambda w=worker: "ready." in w.log_tail(lines=200) or not w.alive(),
                    timeout=60,
                )
                if not ready or not worker.alive():
                    pytest.fail(
                        f"{worker.name} did not start:\n{worker.log_tail(lines=60)}"
                    )
            return queue

        try:
            yield start
        finally:
            app.conf.task_default_queue = previous_queue
