"""Broker benchmark: prints JSON.

Measures the embedded broker (sqlite-broker://, with the options the hubs use)
and, in the same run, Redis as the baseline when ``--redis-url`` is given:

- publish-to-consume latency (p50/p95, ms): a consumer process takes messages
  published one at a time at random moments (so they meet the poll at any phase);
- throughput (messages/s): one process publishes N messages of 1 KB while a
  consumer process consumes and acknowledges them;
- idle CPU of a consumer polling five empty queues (percent of one core).

    python bench/broker.py [--redis-url redis://127.0.0.1:6379/1] [--messages 5000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kombu import Connection, Consumer, Queue  # noqa: E402

from hubnet import broker  # noqa: E402

LATENCY_SAMPLES = 300
IDLE_SECONDS = 10.0
IDLE_QUEUES = 5


def _options(url: str) -> dict:
    return dict(broker.TRANSPORT_OPTIONS) if url.startswith("sqlite-broker:") else {}


READY = "ready"


def _ready_wait(results) -> None:
    """Wait until the consumer process has declared its queue and polls it, so
    its start-up is not counted as latency."""
    answer = results.get(timeout=120)
    if answer != READY:
        raise RuntimeError(f"the consumer did not start: {answer!r}")


def _latency_consumer(url: str, queue: str, count: int, results) -> None:
    delays = []
    with Connection(url, transport_options=_options(url)) as connection:
        simple = connection.SimpleQueue(queue)
        results.put(READY)
        while len(delays) < count:
            message = simple.get(timeout=30)
            delays.append(time.time() - message.payload["sent"])
            message.ack()
        simple.close()
    results.put(delays)


def _throughput_consumer(url: str, queue: str, count: int, results) -> None:
    with Connection(url, transport_options=_options(url)) as connection:
        simple = connection.SimpleQueue(queue)
        results.put(READY)
        for _ in range(count):
            simple.get(timeout=60).ack()
        simple.close()
    results.put(time.time())


def _idle_consumer(url: str, queue: str, results) -> None:
    queues = [Queue(f"{queue}-{n}") for n in range(IDLE_QUEUES)]
    with (
        Connection(url, transport_options=_options(url)) as connection,
        Consumer(connection, queues, callbacks=[lambda body, message: None]),  # noqa: ARG005  kombu's callback signature
    ):
        started, cpu_start = time.monotonic(), _cpu()
        while time.monotonic() - started < IDLE_SECONDS:
            with contextlib.suppress(TimeoutError):
                connection.drain_events(timeout=1)
        results.put((_cpu() - cpu_start) / (time.monotonic() - started))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], fraction: float) -> float:
    return sorted(values)[min(len(values) - 1, int(fraction * len(values)))]


def bench(url: str, messages: int) -> dict:
    """Latency, throughput and idle CPU of the broker at ``url``."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    queue = f"bench-{uuid.uuid4().hex[:8]}"

    consumer = context.Process(
        target=_latency_consumer, args=(url, f"{queue}-l", LATENCY_SAMPLES, results)
    )
    consumer.start()
    with Connection(url, transport_options=_options(url)) as connection:
        simple = connection.SimpleQueue(f"{queue}-l")
        _ready_wait(results)
        for _ in range(LATENCY_SAMPLES):
            time.sleep(random.uniform(0.005, 0.03))
            simple.put({"sent": time.time()})
        delays = [d * 1000 for d in results.get(timeout=120)]
        consumer.join()

        consumer = context.Process(
            target=_throughput_consumer, args=(url, f"{queue}-t", messages, results)
        )
        consumer.start()
        _ready_wait(results)
        simple = connection.SimpleQueue(f"{queue}-t")
        started = time.time()
        for seq in range(messages):
            simple.put({"seq": seq, "data": "x" * 1000})
        published = time.time()
        finished = results.get(timeout=600)
        consumer.join()

    idle = context.Process(target=_idle_consumer, args=(url, queue, results))
    idle.start()
    idle_cpu = results.get(timeout=120)
    idle.join()
    return {
        "latency_ms_p50": round(statistics.median(delays), 2),
        "latency_ms_p95": round(_percentile(delays, 0.95), 2),
        "latency_ms_max": round(max(delays), 2),
        "publish_per_s": round(messages / (published - started)),
        "throughput_per_s": round(messages / (finished - started)),
        "idle_cpu_percent": round(idle_cpu * 100, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--redis-url", help="baseline broker, e.g. redis://127.0.0.1:6379/1"
    )
    parser.add_argument("--messages", type=int, default=5000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "benchmark": "broker",
            "messages": options.messages,
            "latency_samples": LATENCY_SAMPLES,
            "sqlite_broker": bench(
                f"sqlite-broker:///{Path(tmp) / 'broker.sqlite3'}", options.messages
            ),
        }
    if options.redis_url:
        redis = result["redis"] = bench(options.redis_url, options.messages)
        sqlite = result["sqlite_broker"]
        result["ratio_sqlite_to_redis"] = {
            key: round(sqlite[key] / redis[key], 2) if redis[key] else None
            for key in sqlite
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
