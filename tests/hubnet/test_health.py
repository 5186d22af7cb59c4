"""/healthz names the hub and its parts; 503 with the reason when one is down.
The reasons only for staff users and holders of HEALTH_TOKEN."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone

from hubs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

TOKEN = "health-token-for-the-tests-0123456789"


@pytest.fixture
def client(settings):
    """A monitoring client: it presents the health token."""
    settings.HEALTH_TOKEN = TOKEN
    return Client(headers={"Authorization": f"Bearer {TOKEN}"})


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


# Who sees the reasons ---------------------------------------------------------


def _user(*, staff: bool) -> User:
    return User.objects.create_user(
        "staff" if staff else "member", "x@example.org", "pw", is_staff=staff
    )


@pytest.mark.parametrize(
    ("who", "details"),
    [
        ("anonymous", False),
        ("user", False),
        ("staff", True),
        ("token", True),
        ("wrong token", False),
        ("token of another scheme", False),
        ("empty token", False),
    ],
)
def test_reasons_only_for_staff_and_the_token(settings, search_settings, who, details):
    # given a hub whose worker never reported (so a reason exists), a token set
    settings.HEALTH_TOKEN = TOKEN
    headers = {
        "token": f"Bearer {TOKEN}",
        "wrong token": f"Bearer {TOKEN[:-1]}x",
        "token of another scheme": f"Basic {TOKEN}",
        "empty token": "Bearer ",
    }
    client = Client(headers={"Authorization": headers[who]} if who in headers else {})
    if who in ("user", "staff"):
        client.force_login(_user(staff=who == "staff"))
    # when
    response = client.get("/healthz")
    # then the status is the same for everybody, the reasons only for some
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["hub"]["slug"] == settings.HUB_SLUG
    if details:
        assert body["checks"]["worker"]["detail"] == (
            "RuntimeError: no worker has reported a heartbeat yet"
        )
    else:
        assert set(body) == {"status", "hub"}


def test_without_a_configured_token_an_empty_bearer_shows_nothing(
    settings, search_settings, fresh_heartbeat
):
    # given no HEALTH_TOKEN configured
    settings.HEALTH_TOKEN = ""
    # when a caller sends an empty bearer token
    response = Client(headers={"Authorization": "Bearer "}).get("/healthz")
    # then the status only
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"status", "hub"}
    assert body["status"] == "ok"
