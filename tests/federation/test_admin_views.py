"""The Federation section of the Wagtail admin: who may use it and what it shows."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from federation import tasks
from hubs.models import Neighbour, NeighbourRole
from hubs.services import token_hash
from tests.federation.admin_forms import (
    NEW_OUTBOUND_TOKEN,
    TOKEN_INPUT,
    neighbour_add_form,
)
from tests.federation.factories_sync import (
    QuarantinedRecordFactory,
    SyncRunFactory,
    SyncStateFactory,
)
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
ADMIN_HOME = "/admin/"


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.fixture
def neighbour() -> Neighbour:
    return NeighbourFactory(slug="nl-nb", name="Brabant hub", role=NeighbourRole.CHILD)


@pytest.fixture
def queued_syncs(monkeypatch):
    """The sync tasks the views send to the broker (the task's kwargs of each
    send)."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        tasks.neighbour_sync_task,
        "apply_async",
        lambda kwargs, **options: sent.append(kwargs),
    )
    return sent


@pytest.fixture
def users(django_user_model) -> dict[str, Any]:
    """One user of each kind in the authorization matrix."""
    editors = Group.objects.create(name="Test editors")
    editors.permissions.add(_permission("wagtailadmin.access_admin"))
    coordinators = Group.objects.create(name="Test coordinators")
    coordinators.permissions.add(
        _permission("wagtailadmin.access_admin"), _permission("hubs.change_neighbour")
    )
    make = django_user_model.objects.create_user
    no_admin = make(username="visitor", password="x-password-1")
    editor = make(username="editor", password="x-password-1")
    editor.groups.add(editors)
    coordinator = make(username="coordinator", password="x-password-1")
    coordinator.groups.add(coordinators)
    superuser = django_user_model.objects.create_superuser(
        username="root", password="x-password-1", email="root@example.org"
    )
    return {
        "anonymous": None,
        "no_admin": no_admin,
        "editor": editor,
        "coordinator": coordinator,
        "superuser": superuser,
    }


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


ENDPOINTS: list[tuple[str, str, Callable[[Neighbour], list[Any]]]] = [
    ("get", "index", lambda n: []),
    ("get", "neighbour_detail", lambda n: [n.pk]),
    ("get", "neighbour_add", lambda n: []),
    ("post", "neighbour_add", lambda n: []),
    ("post", "neighbour_sync", lambda n: [n.pk]),
    ("get", "neighbour_rotate_token", lambda n: [n.pk]),
    ("post", "neighbour_rotate_token", lambda n: [n.pk]),
]


@pytest.mark.parametrize(("method", "name", "args"), ENDPOINTS)
@pytest.mark.parametrize("kind", ["anonymous", "no_admin", "editor"])
def test_users_without_the_permission_are_turned_away_and_change_nothing(
    kind,
    method,
    name,
    args,
    users,
    neighbour,
    queued_syncs,
    django_capture_on_commit_callbacks,
):
    # given a user who may not manage the federation
    client = _client_for(users[kind])
    url = reverse(f"federation_admin:{name}", args=args(neighbour))
    hash_before = neighbour.inbound_token_hash
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(
            url, neighbour_add_form() if method == "post" else {}
        )
    # then anonymous users and users without admin access go to the login page,
    # admin users without the permission get Wagtail's "permission denied"
    assert response.status_code == 302
    if kind == "editor":
        assert response["Location"] == ADMIN_HOME
    else:
        assert response["Location"] == f"{LOGIN_URL}?next={url}"
    neighbour.refresh_from_db()
    assert neighbour.inbound_token_hash == hash_before
    assert list(Neighbour.objects.values_list("slug", flat=True)) == ["nl-nb"]
    assert queued_syncs == []
    assert not ModelLogEntry.objects.exists()


@pytest.mark.parametrize(("method", "name", "args"), ENDPOINTS)
@pytest.mark.parametrize("kind", ["coordinator", "superuser"])
def test_coordinators_and_superusers_may_use_every_page(
    kind,
    method,
    name,
    args,
    users,
    neighbour,
    queued_syncs,
    django_capture_on_commit_callbacks,
):
    # given a coordinator (the permission through a group) or a superuser
    client = _client_for(users[kind])
    url = reverse(f"federation_admin:{name}", args=args(neighbour))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(
            url, neighbour_add_form() if method == "post" else {}
        )
    # then
    if name == "neighbour_sync":
        assert response.status_code == 302
        assert response["Location"] == reverse("federation_admin:index")
        assert queued_syncs == [{"neighbour_id": neighbour.pk, "trigger": "admin"}]
    else:
        assert response.status_code == 200
        assert queued_syncs == []
    if (method, name) == ("post", "neighbour_add"):
        assert Neighbour.objects.filter(slug="be-vl").exists()


def test_the_menu_shows_federation_only_to_users_with_the_permission(users):
    # when
    editor_home = _client_for(users["editor"]).get(ADMIN_HOME)
    coordinator_home = _client_for(users["coordinator"]).get(ADMIN_HOME)
    # then
    index_url = reverse("federation_admin:index")
    assert editor_home.status_code == coordinator_home.status_code == 200
    assert index_url not in editor_home.content.decode()
    assert index_url in coordinator_home.content.decode()


def test_overview_shows_lag_errors_and_failures_but_no_token(admin_client):
    # given a neighbour that synced two hours ago and has failed three times since
    now = timezone.now()
    child = NeighbourFactory(slug="nl-li", name="Limburg hub")
    error = "cannot reach http://127.0.0.1:1/graphql: " + "x" * 200
    SyncStateFactory(
        neighbour=child,
        remote_latest_seq=10,
        local_position_seq=7,
        last_success_at=now - dt.timedelta(hours=2),
        last_error=error,
        consecutive_failures=3,
    )
    parent = NeighbourFactory(slug="nl", name="NL hub", role=NeighbourRole.PARENT)
    # when
    response = admin_client.get(reverse("federation_admin:index"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    row = _row(html, "nl-li")
    assert 'data-column="lag-changes">3</td>' in row
    assert 'data-column="failures">3</td>' in row
    assert "2\xa0hours" in _cell(row, "lag-time")
    assert error[:119] + "…" in row
    assert error not in html
    assert reverse("federation_admin:neighbour_sync", args=[child.pk]) in row
    assert reverse("federation_admin:neighbour_detail", args=[child.pk]) in row
    # a parent is not pulled: no sync button, nothing measured
    parent_row = _row(html, "nl")
    assert reverse("federation_admin:neighbour_sync", args=[parent.pk]) not in html
    assert "(not pulled)" in parent_row
    assert 'data-column="lag-changes">—</td>' in parent_row
    assert "never" in _cell(parent_row, "last-success")
    # tokens never appear
    assert child.outbound_token not in html
    assert parent.outbound_token not in html
    assert child.inbound_token_hash not in html


def test_detail_shows_state_runs_and_escaped_quarantine_but_no_token(admin_client):
    # given a neighbour with 25 runs, a quarantined record with hostile markup
    # and a full last error
    child = NeighbourFactory(slug="nl-li", name="Limburg hub")
    error = "the change feed does not match the schema: " + "y" * 300
    SyncStateFactory(
        neighbour=child,
        remote_latest_seq=5,
        local_position_seq=5,
        last_success_at=timezone.now(),
        last_error=error,
    )
    runs = [
        SyncRunFactory(neighbour=child, fetched=n, applied=n, duration_ms=100 + n)
        for n in range(25)
    ]
    QuarantinedRecordFactory(
        neighbour=child,
        record_id="nl:project:00000000-0000-4000-8000-000000000001",
        version=4,
        payload='{"body": {"name": "<script>alert(1)</script>"}}',
        reason="body.name: markup is not allowed in a plain-text field",
        times_seen=3,
    )
    # when
    response = admin_client.get(
        reverse("federation_admin:neighbour_detail", args=[child.pk])
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    shown_runs = re.findall(r'data-run="(\d+)"', html)
    assert shown_runs == [str(run.pk) for run in reversed(runs[5:])]
    assert error in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "markup is not allowed in a plain-text field" in html
    assert "nl:project:00000000-0000-4000-8000-000000000001" in html
    assert child.outbound_token not in html
    assert "set (never shown)" in html


def test_a_full_resync_is_shown_on_its_run(admin_client, neighbour):
    # given: one run that started over (the neighbour was restored) and one not
    resynced = SyncRunFactory(neighbour=neighbour, resynced=True)
    SyncRunFactory(neighbour=neighbour)
    # when
    response = admin_client.get(
        reverse("federation_admin:neighbour_detail", args=[neighbour.pk])
    )
    # then
    html = response.content.decode()
    rows = re.findall(r'data-run="(\d+)">(.*?)</tr>', html, flags=re.DOTALL)
    marked = [pk for pk, row in rows if "data-resynced" in row]
    assert marked == [str(resynced.pk)]
    assert "(full resync: the neighbour was behind our cursor)" in html


def test_sync_now_queues_an_admin_sync_of_that_neighbour(
    admin_client, neighbour, queued_syncs, django_capture_on_commit_callbacks
):
    # given
    detail = reverse("federation_admin:neighbour_detail", args=[neighbour.pk])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("federation_admin:neighbour_sync", args=[neighbour.pk]),
            {"next": detail},
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == detail
    assert queued_syncs == [{"neighbour_id": neighbour.pk, "trigger": "admin"}]


def test_sync_now_refuses_a_neighbour_this_hub_does_not_pull(
    admin_client, queued_syncs, django_capture_on_commit_callbacks
):
    # given a parent and a disabled child
    parent = NeighbourFactory(role=NeighbourRole.PARENT)
    disabled = NeighbourFactory(role=NeighbourRole.CHILD, enabled=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        for neighbour in (parent, disabled):
            response = admin_client.post(
                reverse("federation_admin:neighbour_sync", args=[neighbour.pk])
            )
            assert response.status_code == 302
    # then
    assert queued_syncs == []


def test_sync_now_refuses_get_and_unknown_neighbours(admin_client, neighbour):
    # when
    get = admin_client.get(
        reverse("federation_admin:neighbour_sync", args=[neighbour.pk])
    )
    unknown = admin_client.post(reverse("federation_admin:neighbour_sync", args=[999]))
    # then
    assert get.status_code == 405
    assert unknown.status_code == 404


def test_posts_need_a_csrf_token(
    users, neighbour, queued_syncs, django_capture_on_commit_callbacks
):
    # given a superuser whose client enforces CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["superuser"])
    hash_before = neighbour.inbound_token_hash
    # when
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(
                reverse("federation_admin:neighbour_add"), neighbour_add_form()
            ),
            client.post(
                reverse("federation_admin:neighbour_sync", args=[neighbour.pk])
            ),
            client.post(
                reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
            ),
        ]
    # then
    assert [response.status_code for response in responses] == [403, 403, 403]
    neighbour.refresh_from_db()
    assert neighbour.inbound_token_hash == hash_before
    assert Neighbour.objects.count() == 1
    assert queued_syncs == []


def test_add_neighbour_shows_the_inbound_token_once(users):
    # given
    client = _client_for(users["coordinator"])
    add_url = reverse("federation_admin:neighbour_add")
    # when
    response = client.post(add_url, neighbour_add_form())
    # then the token is on the page, with the warning, and nowhere else
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "it will not be shown again" in html
    (token,) = TOKEN_INPUT.findall(html)
    created = Neighbour.objects.get(slug="be-vl")
    assert (created.name, created.role, created.endpoint_url) == (
        "Flanders hub",
        "peer",
        "https://be-vl.hub.example.org",
    )
    assert created.outbound_token == NEW_OUTBOUND_TOKEN
    assert created.inbound_token_hash == token_hash(token)
    assert NEW_OUTBOUND_TOKEN not in html
    assert token not in str(dict(client.session.items()))
    assert list(response.context["messages"]) == []
    # and is not shown again
    for url in (
        add_url,
        reverse("federation_admin:index"),
        reverse("federation_admin:neighbour_detail", args=[created.pk]),
    ):
        again = client.get(url).content.decode()
        assert token not in again
        assert NEW_OUTBOUND_TOKEN not in again


def _row(html: str, slug: str) -> str:
    match = re.search(rf'<tr data-neighbour="{re.escape(slug)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {slug}"
    return match.group(1)


def _cell(row: str, column: str) -> str:
    match = re.search(rf'data-column="{column}">(.*?)</td>', row, re.S)
    assert match, f"no {column} cell"
    return match.group(1)
