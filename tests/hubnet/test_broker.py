"""The embedded broker (sqlite-broker://): whole messages, none lost, none twice.

Writers and consumers are separate processes on one broker file, as the web
processes, the beat and the worker of a hub are.
"""

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection, Consumer
from kombu import Queue as KombuQueue

from hubnet.processes import ProcessGroup, wait_until
from hubs.models import WorkerHeartbeat
from hubs.tasks import heartbeat_record_task
from tests.conftest import test_database_url
from tests.hubnet.broker_clients import QUEUE, broker_url, consume, write


def _log_lines(log: Path) -> list[tuple[str, int, int, int]]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [
        (kind, *map(int, rest.split()))
        for kind, rest in (line.split(" ", 1) for line in lines)
    ]


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as database:
        return database.execute("SELECT count(*) FROM message").fetchone()[0]


@pytest.fixture
def spawn():
    """Processes started from a fresh interpreter; any still alive is killed."""
    context = multiprocessing.get_context("spawn")
    started = []

    def start(target, *args):
        process = context.Process(target=target, args=args, daemon=True)
        process.start()
        started.append(process)
        return process

    start.context = context
    yield start
    for process in started:
        if process.is_alive():
            process.kill()
        process.join(10)


def test_concurrent_writers_and_consumers_deliver_every_message_whole_once(
    tmp_path, spawn
):
    # given: four writers and two consumers on one new broker file
    path = tmp_path / "broker.sqlite3"
    writers, per_writer = 4, 750
    done = spawn.context.Event()
    logs = [tmp_path / f"consumer-{n}.log" for n in range(2)]
    consumers = [spawn(consume, str(path), str(log), done, 60.0) for log in logs]
    # when
    writing = [spawn(write, str(path), w, per_writer) for w in range(writers)]
    for process in writing:
        process.join(300)
        assert process.exitcode == 0
    done.set()
    for process in consumers:
        process.join(300)
        assert process.exitcode == 0
    # then: every message exactly once, every checksum right, nothing left
    acked = [line[1:] for log in logs for line in _log_lines(log) if line[0] == "ack"]
    sent = {(w, seq, 1) for w in range(writers) for seq in range(per_writer)}
    assert sorted(acked) == sorted(sent)
    assert _rows(path) == 0
    assert all(len(_log_lines(log)) > 0 for log in logs)  # both consumers took part


def test_a_killed_consumers_unacknowledged_message_is_delivered_again(tmp_path, spawn):
    # given: 200 messages; a consumer acks 50 and is killed holding the 51st
    path = tmp_path / "broker.sqlite3"
    writer = spawn(write, str(path), 0, 200)
    writer.join(120)
    done = spawn.context.Event()
    killed_log, survivor_log = tmp_path / "killed.log", tmp_path / "survivor.log"
    killed = spawn(consume, str(path), str(killed_log), done, 2.0, 50)
    assert wait_until(lambda: len(_log_lines(killed_log)) == 101, timeout=60)
    os.kill(killed.pid, signal.SIGKILL)
    killed.join(10)
    # when: another consumer drains the queue
    survivor = spawn(consume, str(path), str(survivor_log), done, 2.0)
    assert wait_until(lambda: _rows(path) == 0, timeout=60)
    done.set()
    survivor.join(30)
    # then: the held message came back; nothing acknowledged came back
    killed_acks = {line[1:] for line in _log_lines(killed_log) if line[0] == "ack"}
    held = {
        line[1:] for line in _log_lines(killed_log) if line[0] == "got"
    } - killed_acks
    survivor_acks = [line[1:] for line in _log_lines(survivor_log) if line[0] == "ack"]
    assert held == {(0, 50, 1)}
    assert (0, 50, 1) in survivor_acks
    assert sorted([*killed_acks, *survivor_acks]) == [(0, seq, 1) for seq in range(200)]


def test_a_consumer_that_keeps_polling_keeps_its_message_past_the_lease(tmp_path):
    # given: a one-second lease; consumer A holds the only message
    url = broker_url(tmp_path / "broker.sqlite3")
    options = {"polling_interval": 0.01, "visibility_timeout": 1.0}
    with (
        Connection(url, transport_options=options) as first,
        Connection(url, transport_options=options) as second,
    ):
        queues = [first.SimpleQueue("long"), second.SimpleQueue("long")]
        queues[0].put({"task": "long"})
        held = queues[0].get(timeout=5)
        taken_twice = []
        # when: both poll for four leases while A has not acknowledged
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            for queue in queues:
                with contextlib.suppress(Empty):
                    taken_twice.append(queue.get(timeout=0.1))
        held.ack()
    # then
    assert taken_twice == []
    assert _rows(tmp_path / "broker.sqlite3") == 0


def test_the_file_stays_small_after_ten_thousand_messages(tmp_path):
    # given: a burst of 10 000 messages (about 10 MB) waiting in the file
    path = tmp_path / "broker.sqlite3"
    options = {"polling_interval": 0.01}
    with Connection(broker_url(path), transport_options=options) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for seq in range(10_000):
            queue.put({"seq": seq, "data": "x" * 1000})
        peak = path.stat().st_size
        # when: every one is consumed and acknowledged, then the consumer idles
        for _ in range(10_000):
            queue.get(timeout=5).ack()
        with pytest.raises(Empty):
            queue.get(timeout=1.5)  # past the housekeeping interval
        queue.close()
    # then
    assert peak > 10_000_000
    assert path.stat().st_size < 5_000_000  # at most 4 MB of free pages kept
    assert _rows(path) == 0


def test_one_consumer_takes_from_many_queues(tmp_path):
    # given: one message waiting in each of five queues
    url = broker_url(tmp_path / "broker.sqlite3")
    names = ["sync", "poke", "index", "health", "default"]
    with Connection(url) as producer:
        for name in names:
            producer.SimpleQueue(name).put({"queue": name})
    received = []
    # when: one consumer of all five polls
    with (
        Connection(url, transport_options={"polling_interval": 0.01}) as connection,
        Consumer(
            connection,
            [KombuQueue(name) for name in names],
            callbacks=[lambda body, message: (received.append(body), message.ack())],
        ),
    ):
        deadline = time.monotonic() + 10
        while len(received) < len(names) and time.monotonic() < deadline:
            connection.drain_events(timeout=1)
    # then
    assert sorted(body["queue"] for body in received) == sorted(names)
    assert _rows(tmp_path / "broker.sqlite3") == 0


def test_a_message_taken_without_ack_leaves_the_file(tmp_path):
    # given
    url = broker_url(tmp_path / "broker.sqlite3")
    with Connection(url) as connection:
        connection.SimpleQueue("plain").put({"n": 1})
        connection.SimpleQueue("plain").put({"n": 2})
        # when: one taken by a no-ack consumer, one by a no-ack get
        consumed = connection.SimpleQueue("plain", no_ack=True).get(timeout=5)
        with connection.channel() as channel:
            got = channel.basic_get("plain", no_ack=True)
        # then
        assert [consumed.payload, got.payload] == [{"n": 1}, {"n": 2}]
        assert _rows(tmp_path / "broker.sqlite3") == 0


def test_a_broker_url_without_a_file_is_refused():
    # given / when / then
    with pytest.raises(ValueError, match="needs the broker file"):
        Connection("sqlite-broker://").connect()


def test_a_hubnet_worker_on_the_embedded_broker_runs_a_task(tmp_path, transactional_db):
    # given: `hubnet worker` with no CELERY_BROKER_URL and its own var dir
    environ = {
        key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"
    }
    environ |= {
        "DJANGO_SETTINGS_MODULE": "hubnet.settings.test",
        "DATABASE_URL": test_database_url(),
        "HUBNET_VAR_DIR": str(tmp_path),
        "HUB_SLUG": "broker-test",
        "PYTHONUNBUFFERED": "1",
    }
    broker_file = tmp_path / "hubs" / "broker-test" / "broker.sqlite3"
    with ProcessGroup() as group:
        worker = group.start(
            "worker",
            [sys.executable, "-m", "hubnet", "worker"],
            env=environ,
            log_path=tmp_path / "worker.log",
        )
        started = wait_until(
            lambda: WorkerHeartbeat.objects.exists() or not worker.alive(), timeout=60
        )
        assert started, worker.log_tail(lines=60)
        assert worker.alive(), worker.log_tail(lines=60)
        WorkerHeartbeat.objects.all().delete()
        # when: the test sends a task through the worker's broker file
        with Connection(broker_url(broker_file)) as connection:
            heartbeat_record_task.apply_async(
                queue="hub-broker-test", connection=connection
            )
        # then
        assert wait_until(WorkerHeartbeat.objects.exists, timeout=30)
        assert WorkerHeartbeat.objects.get().hostname.startswith("broker-test-worker@")
        assert wait_until(lambda: _rows(broker_file) == 0, timeout=10)
    assert "sqlite-broker://" in (tmp_path / "worker.log").read_text()
