"""Prometheus metrics of one hub, served at ``/metrics``.

What the database knows (where each neighbour's feed stands, what is held,
quarantined, waiting to be indexed or dead-lettered, when a worker last beat)
is read at scrape time by ``HubCollector``: it is the truth, and it survives a
restart. What only a process sees (requests by route and their latency, exports
served, answers the search engine could not give) is counted in the process;
under gunicorn each worker counts its own requests, so sum over processes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from federation.selectors_sync import (
    quarantine_counts,
    records_received_counts,
    sync_status_list,
)
from hubs.selectors import heartbeat_latest
from search.selectors import dead_letters_count, drain_state_get

# No `<name>_created` series beside each counter and histogram: they double the
# families a scrape carries and only say when this process started.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=False)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "hubnet_http_requests",
    "Requests answered by this process, by route name, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "hubnet_http_request_duration_seconds",
    "Time to answer a request in this process, by route name.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
EXPORTS = Counter(
    "hubnet_exports_served",
    "Search exports (CSV, XLSX) and DCAT catalogues answered 200 by this process.",
    ["route"],
    registry=REGISTRY,
)
ENGINE_ERRORS = Counter(
    "hubnet_search_engine_errors",
    "Search requests this process answered 503 because the engine could not.",
    ["route"],
    registry=REGISTRY,
)

# Routes whose 200 answer is an export of the catalogue.
EXPORT_ROUTES = frozenset(
    {
        "search_api:export_csv",
        "search_api:export_xlsx",
        "dcat:catalogue",
        "dcat:catalogue_file",
    }
)
# Namespaces whose 503 means the search engine did not answer.
SEARCH_NAMESPACES = frozenset({"search", "search_api", "insight"})


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request of this process (called by the middleware)."""
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)
    if status == 200 and route in EXPORT_ROUTES:
        EXPORTS.labels(route=route).inc()
    if status == 503 and route.partition(":")[0] in SEARCH_NAMESPACES:
        ENGINE_ERRORS.labels(route=route).inc()


def _gauge(
    name: str, documentation: str, labels: list[str] | None = None
) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


class HubCollector(Collector):
    """Gauges computed from this hub's database at each scrape."""

    def collect(self) -> Iterator[Metric]:
        up = _gauge("hubnet_database_up", "Whether the scrape could read the database.")
        try:
            metrics = list(self._from_database())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from metrics

    def _from_database(self) -> Iterator[Metric]:
        now = timezone.now()
        labels = ["neighbour", "role"]
        lag = _gauge(
            "hubnet_neighbour_lag_changes",
            "Sequence values the neighbour's feed had beyond our cursor when "
            "last read (their latest sequence minus our position).",
            labels,
        )
        latest = _gauge(
            "hubnet_neighbour_latest_sequence",
            "The neighbour's newest sequence value, as last read.",
            labels,
        )
        position = _gauge(
            "hubnet_neighbour_cursor_sequence",
            "Our position (cursor) in the neighbour's feed.",
            labels,
        )
        since = _gauge(
            "hubnet_neighbour_seconds_since_success",
            "Seconds since the last successful sync of the neighbour.",
            labels,
        )
        failures = _gauge(
            "hubnet_neighbour_consecutive_failures",
            "Failed syncs of the neighbour since the last success.",
            labels,
        )
        running = _gauge(
            "hubnet_neighbour_sync_running", "Whether a sync holds its lease.", labels
        )
        for status in sync_status_list(now=now):
            if not status.pulled:
                continue
            key = [status.neighbour.slug, status.neighbour.role]
            running.add_metric(key, int(status.running))
            failures.add_metric(key, status.consecutive_failures)
            if status.state is not None:
                latest.add_metric(key, status.state.remote_latest_seq)
                position.add_metric(key, status.state.local_position_seq)
            if status.lag_changes is not None:
                lag.add_metric(key, status.lag_changes)
            if status.lag_time is not None:
                since.add_metric(key, status.lag_time.total_seconds())
        yield from (lag, latest, position, since, failures, running)

        held = _gauge(
            "hubnet_records_held",
            "Records held, by the neighbour that delivered them ('' for own).",
            ["received_from"],
        )
        for source, count in sorted(records_received_counts().items()):
            held.add_metric([source], count)
        yield held
        quarantined = _gauge(
            "hubnet_records_quarantined",
            "Distinct payloads in quarantine, by neighbour.",
            ["neighbour"],
        )
        for source, count in sorted(quarantine_counts().items()):
            quarantined.add_metric([source], count)
        yield quarantined

        drain = drain_state_get()
        for name, documentation, value in (
            ("hubnet_sequence_latest", "This hub's newest change.", drain.latest_seq),
            (
                "hubnet_index_outbox_backlog",
                "Changes not yet written to the search index.",
                drain.backlog,
            ),
            (
                "hubnet_index_dead_letters",
                "Records the search engine refused for good.",
                dead_letters_count(),
            ),
            (
                "hubnet_index_failing_attempts",
                "Drains the engine refused the oldest pending change for.",
                drain.failing_attempts,
            ),
        ):
            gauge = _gauge(name, documentation)
            gauge.add_metric([], value)
            yield gauge
        if drain.last_error_at is not None:
            gauge = _gauge(
                "hubnet_index_last_error_timestamp_seconds",
                "When the index drain last failed (Unix time).",
            )
            gauge.add_metric([], drain.last_error_at.timestamp())
            yield gauge

        beat = heartbeat_latest()
        if beat is not None:
            gauge = _gauge(
                "hubnet_worker_heartbeat_age_seconds",
                "Seconds since a worker of this hub last ran the heartbeat task.",
            )
            gauge.add_metric([], (now - beat.last_seen).total_seconds())
            yield gauge


REGISTRY.register(HubCollector())


def metrics_token_valid(*, authorization: str | None) -> bool:
    """Whether ``authorization`` is ``Bearer <METRICS_TOKEN>``; compared as
    SHA-256 digests in constant time; with no token configured none is valid."""
    expected = settings.METRICS_TOKEN
    scheme, _, presented = (authorization or "").partition(" ")
    presented = presented.strip()
    if not expected or scheme.lower() != "bearer" or not presented:
        return False
    return hmac.compare_digest(
        hashlib.sha256(presented.encode()).digest(),
        hashlib.sha256(expected.encode()).digest(),
    )


def metrics_render() -> bytes:
    """The exposition text of every metric of this hub."""
    return generate_latest(REGISTRY)
