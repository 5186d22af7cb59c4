"""/metrics: Prometheus text for holders of METRICS_TOKEN only, gauges read from
the database at scrape time, requests counted by route name."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from federation.models import SyncState
from federation.records import record_validate
from federation.services.store import records_apply
from hubs.models import WorkerHeartbeat
from hubs.services import neighbour_create
from search.models import DeadLetter, IndexWatermark
from tests.federation.factories import wire_record
from tests.federation.factories_sync import QuarantinedRecordFactory
from tests.hubnet.metrics_scrape import TOKEN, metrics_scrape

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


@pytest.mark.parametrize(
    ("configured", "presented"),
    [
        ("", None),
        ("", "Bearer "),
        (TOKEN, None),
        (TOKEN, "Bearer wrong-token-of-the-right-length-01234567"),
        (TOKEN, f"Basic {TOKEN}"),
    ],
)
def test_without_the_token_metrics_is_not_found(settings, configured, presented):
    # given
    settings.METRICS_TOKEN = configured
    headers = {"Authorization": presented} if presented else {}
    # when
    response = Client().get("/metrics", headers=headers)
    # then
    assert response.status_code == 404
    assert b"hubnet_" not in response.content


def test_with_the_token_metrics_is_prometheus_text(token):
    # when
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {token}"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE hubnet_neighbour_lag_changes gauge" in response.content


def test_gauges_come_from_the_database(token):
    # given: a child two changes behind, a peer never synced, one quarantined
    # payload, two records held from the child, a backlog and a dead letter
    child = neighbour_create(
        slug="nl",
        name="NL",
        role="child",
        endpoint_url="http://127.0.0.1:9",
        outbound_token="o" * 40,
    ).neighbour
    success = timezone.now() - timedelta(seconds=120)
    SyncState.objects.create(
        neighbour=child,
        cursor="c5",
        remote_latest_seq=7,
        local_position_seq=5,
        last_success_at=success,
        consecutive_failures=3,
    )
    neighbour_create(
        slug="be",
        name="BE",
        role="peer",
        endpoint_url="http://127.0.0.1:9",
        outbound_token="o" * 40,
    )
    QuarantinedRecordFactory(neighbour=child)
    records = [record_validate(wire_record()) for _ in range(2)]
    records_apply(records=records, source="nl", role="child")
    IndexWatermark.objects.update_or_create(pk=1, defaults={"indexed_seq": 0})
    now = timezone.now()
    DeadLetter.objects.create(
        record_id=records[0].id,
        seq=1,
        version=1,
        status=400,
        reason="mapping",
        attempts=3,
        first_failed_at=now,
        last_failed_at=now,
    )
    WorkerHeartbeat.objects.create(
        hostname="w@test", last_seen=now - timedelta(seconds=42)
    )
    # when
    samples = metrics_scrape(Client())
    # then
    nl = (("neighbour", "nl"), ("role", "child"))
    assert samples[("hubnet_neighbour_lag_changes", nl)] == 2
    assert samples[("hubnet_neighbour_latest_sequence", nl)] == 7
    assert samples[("hubnet_neighbour_cursor_sequence", nl)] == 5
    assert samples[("hubnet_neighbour_consecutive_failures", nl)] == 3
    assert 120 <= samples[("hubnet_neighbour_seconds_since_success", nl)] < 180
    be = (("neighbour", "be"), ("role", "peer"))
    assert samples[("hubnet_neighbour_consecutive_failures", be)] == 0
    assert ("hubnet_neighbour_lag_changes", be) not in samples
    assert samples[("hubnet_records_held", (("received_from", "nl"),))] == 2
    assert samples[("hubnet_records_quarantined", (("neighbour", "nl"),))] == 1
    assert samples[("hubnet_sequence_latest", ())] == 2
    assert samples[("hubnet_index_outbox_backlog", ())] == 2
    assert samples[("hubnet_index_dead_letters", ())] == 1
    assert 42 <= samples[("hubnet_worker_heartbeat_age_seconds", ())] < 100
    assert samples[("hubnet_database_up", ())] == 1


def test_requests_are_counted_by_route_with_latency(token):
    # given
    client = Client()
    route = ("route", "dcat:catalogue")
    key = ("hubnet_http_requests_total", (("method", "GET"), route, ("status", "200")))
    exports = ("hubnet_exports_served_total", (route,))
    before = metrics_scrape(client)
    # when: the DCAT catalogue is exported twice
    for _ in range(2):
        assert (
            client.get("/catalog", headers={"Accept": "text/turtle"}).status_code == 200
        )
    # then
    after = metrics_scrape(client)
    assert after[key] - before.get(key, 0) == 2
    assert after[exports] - before.get(exports, 0) == 2
    count = ("hubnet_http_request_duration_seconds_count", (route,))
    assert after[count] - before.get(count, 0) == 2


def test_every_answer_echoes_a_request_id():
    # given
    client = Client()
    # when
    kept = client.get("/metrics", headers={"X-Request-ID": "proxy-abc.123"})
    replaced = client.get("/metrics", headers={"X-Request-ID": "bad id\nforged: x"})
    fresh = client.get("/metrics")
    # then
    assert kept["X-Request-ID"] == "proxy-abc.123"
    assert len(replaced["X-Request-ID"]) == 32
    assert "forged" not in replaced["X-Request-ID"]
    assert len(fresh["X-Request-ID"]) == 32
    assert fresh["X-Request-ID"] != replaced["X-Request-ID"]
