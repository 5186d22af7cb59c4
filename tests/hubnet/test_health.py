"""/healthz names the hub and its parts; 503 with the reason when one is down."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from hubs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_heartbeat():
    return WorkerHeartbeat.objects.create(hostname="w@test", last_seen=timezone.now())


def test_all_parts_healthy(client, search_settings, fresh_heartbeat):
    # when
    response = client.get("/healthz")
    # then
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["hub"]["slug"] == search_settings.HUB_SLUG
    assert set(body["checks"]) == {"database", "broker", "worker", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["search"]["detail"].startswith("opensearch 2.19")


def test_search_engine_down_gives_503_with_reason(
    client, search_settings, fresh_heartbeat
):
    # given: nothing listens on port 1
    search_settings.SEARCH_URL = "http://127.0.0.1:1"
    # when
    response = client.get("/healthz")
    # then
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["ok"] is False
    assert "Connection" in body["checks"]["search"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_broker_down_gives_503_with_reason(client, search_settings, fresh_heartbeat):
    # given: nothing listens on port 1
    search_settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    # when
    response = client.get("/healthz")
    # then
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection refused" in body["checks"]["broker"]["detail"]
    assert body["checks"]["search"]["ok"] is True


def test_stale_worker_heartbeat_gives_503(client, search_settings):
    # given: the only worker was last seen long ago
    WorkerHeartbeat.objects.create(
        hostname="w@old", last_seen=timezone.now() - timedelta(hours=1)
    )
    # when
    response = client.get("/healthz")
    # then
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["worker"]["ok"] is False
    assert "w@old" in body["checks"]["worker"]["detail"]


def test_no_worker_ever_gives_503(client, search_settings):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["detail"] == (
        "RuntimeError: no worker has reported a heartbeat yet"
    )


def test_database_down_gives_503_not_a_crash(client, search_settings, fresh_heartbeat):
    # given: the connection points at a database that cannot be reached
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/dir/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        # when
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    # then
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["worker"]["detail"] == "unknown: the database is down"
    assert body["checks"]["search"]["ok"] is True


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405
