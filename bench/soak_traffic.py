"""The soak's traffic: long-lived publishers at several hubs (bench/soak_publisher.py,
one process per hub, driven over stdin/stdout) and the lag tracker that polls the
EU hub's GraphQL API until every published version is visible there."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests

from hubnet.localnet import RunningNetwork

SCRIPT = Path(__file__).resolve().with_name("soak_publisher.py")
ANSWER_TIMEOUT = 120.0
# Below this many live records a hub only creates.
MINIMUM_LIVE = 5


class Publisher:
    """One publisher process at one hub."""

    def __init__(self, slug: str, environ: dict[str, str], log_path: Path) -> None:
        self.slug = slug
        self.environ = environ
        self.log_path = log_path
        self.popen: subprocess.Popen | None = None
        self.restarts = 0
        self.start()

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                [sys.executable, str(SCRIPT)],
                env=self.environ,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )

    def request(self, command: dict[str, Any]) -> dict[str, Any] | None:
        """Send one command, wait for its answer; None (and a fresh process)
        when the publisher died or did not answer in time."""
        assert self.popen is not None
        assert self.popen.stdin is not None
        assert self.popen.stdout is not None
        try:
            self.popen.stdin.write(json.dumps(command) + "\n")
            self.popen.stdin.flush()
            with selectors.DefaultSelector() as selector:
                selector.register(self.popen.stdout, selectors.EVENT_READ)
                if selector.select(timeout=ANSWER_TIMEOUT):
                    line = self.popen.stdout.readline()
                    if line:
                        return json.loads(line)
        except (OSError, ValueError):
            pass
        self.kill()
        self.restarts += 1
        self.start()
        return None

    def kill(self) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(OSError):
            assert self.popen.stdin is not None
            self.popen.stdin.close()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


class LagTracker(threading.Thread):
    """Polls the EU hub for the versions published at the origins: the lag of a
    version is the time from its commit at the origin to the first poll that
    sees it (or a newer one) at the EU hub."""

    def __init__(self, eu_url: str, *, interval: float = 1.0, batch: int = 50):
        super().__init__(name="soak-lag", daemon=True)
        self.eu_url = eu_url
        self.interval = interval
        self.batch = batch
        self.samples: list[float] = []
        self._pending: dict[str, list[tuple[int, float, bool]]] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._session = requests.Session()
        self._session.trust_env = False

    def add(self, record_id: str, version: int, at: float, *, measure: bool = True):
        with self._lock:
            self._pending.setdefault(record_id, []).append((version, at, measure))

    def pending(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._pending.values())

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            with contextlib.suppress(requests.RequestException, ValueError, KeyError):
                self.poll()

    def poll(self) -> None:
        with self._lock:
            ids = list(self._pending)[: self.batch]
        if not ids:
            return
        variables = {f"i{n}": record_id for n, record_id in enumerate(ids)}
        query = (
            "query Lag("
            + ", ".join(f"$i{n}: ID!" for n in range(len(ids)))
            + ") { "
            + " ".join(
                f"r{n}: record(id: $i{n}) {{ version }}" for n in range(len(ids))
            )
            + " }"
        )
        answer = self._session.post(
            f"{self.eu_url}/graphql",
            json={"query": query, "variables": variables},
            timeout=10,
        ).json()
        seen_at = time.time()
        data = answer.get("data") or {}
        with self._lock:
            for n, record_id in enumerate(ids):
                record = data.get(f"r{n}") or {"version": 0}
                waiting = []
                for version, at, measure in self._pending.get(record_id, []):
                    if record["version"] >= version:
                        if measure:
                            self.samples.append(max(seen_at - at, 0.0))
                    else:
                        waiting.append((version, at, measure))
                # Still waiting: to the back of the line, so a version that never
                # arrives cannot keep the others from being looked for.
                self._pending.pop(record_id, None)
                if waiting:
                    self._pending[record_id] = waiting


class Publishers:
    """A publisher at each of ``slugs``: seeds them, then creates, edits and
    withdraws records at a steady rate, tracking what each commit left."""

    def __init__(
        self, running: RunningNetwork, slugs: Iterable[str], *, log_dir: Path
    ) -> None:
        self.slugs = list(slugs)
        self.publishers = {
            slug: Publisher(
                slug, running.environments[slug], log_dir / f"{slug}-publisher.log"
            )
            for slug in self.slugs
        }
        self.live: dict[str, list[str]] = {slug: [] for slug in self.slugs}
        self._committed: dict[str, tuple[int, bool]] = {}
        self.counter: Counter[str] = Counter()
        self.errors: list[str] = []

    def _take(
        self, slug: str, answer: dict[str, Any] | None, tracker: LagTracker, *, measure
    ) -> None:
        if answer is None:
            self.counter["no_answer"] += 1
            return
        if "error" in answer:
            self.counter["errors"] += 1
            if len(self.errors) < 20:
                self.errors.append(f"{slug} {answer['op']}: {answer['error']}")
        for record in answer.get("records", []):
            if record.get("version") is None:
                continue
            record_id = record["id"]
            state = (record["version"], bool(record["deleted"]))
            if self._committed.get(record_id) == state:
                continue  # nothing changed (a failed command, or a no-op)
            self._committed[record_id] = state
            tracker.add(record_id, record["version"], answer["at"], measure=measure)
            live = self.live[slug]
            if state[1] and record_id in live:
                live.remove(record_id)
            elif not state[1] and record_id not in live:
                live.append(record_id)
        if "error" not in answer and measure:
            self.counter[answer["op"]] += 1

    def seed(self, count: int, tracker: LagTracker) -> int:
        for slug, publisher in self.publishers.items():
            answer = publisher.request({"op": "seed", "count": count})
            self._take(slug, answer, tracker, measure=False)
        return len(self._committed)

    def run(
        self,
        *,
        seconds: float,
        per_minute: float,
        tracker: LagTracker,
        rng,
        on_progress: Callable[[str], None],
    ) -> None:
        """Publish until ``seconds`` have passed, ``per_minute`` commands a
        minute over all hubs (each command at a random hub)."""
        started = time.monotonic()
        step = 60.0 / per_minute
        reported = started
        done = 0
        while (now := time.monotonic()) < started + seconds:
            slug = rng.choice(self.slugs)
            live = self.live[slug]
            roll = rng.random()
            if len(live) < MINIMUM_LIVE or roll < 0.35:
                command: dict[str, Any] = {"op": "create"}
            elif roll < 0.8:
                command = {"op": "edit", "id": rng.choice(live)}
            else:
                command = {"op": "withdraw", "id": rng.choice(live)}
            answer = self.publishers[slug].request(command)
            self._take(slug, answer, tracker, measure=True)
            done += 1
            if now - reported >= 30:
                reported = now
                on_progress(
                    f"{done} commands in {now - started:.0f}s; "
                    f"{tracker.pending()} versions not yet at the EU hub; "
                    f"{dict(self.counter)}"
                )
            time.sleep(max(started + done * step - time.monotonic(), 0))

    def committed(self) -> dict[str, tuple[int, bool]]:
        """The last state each record's commit left, as its publisher saw it."""
        return dict(self._committed)

    def counts(self) -> dict[str, Any]:
        return {
            "creates": self.counter["create"],
            "edits": self.counter["edit"],
            "withdrawals": self.counter["withdraw"],
            "command_errors": self.counter["errors"],
            "command_timeouts": self.counter["no_answer"],
            "publisher_restarts": sum(p.restarts for p in self.publishers.values()),
            "error_samples": self.errors[:5],
        }

    def stop(self) -> None:
        for publisher in self.publishers.values():
            publisher.stop()
