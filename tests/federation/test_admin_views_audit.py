"""The acts of the Federation admin leave one entry each in Wagtail's audit log:
who did what to which neighbour, never a token."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from hubs.models import Neighbour, NeighbourRole
from tests.audit_entries import entry_text, the_one_entry
from tests.cms.factories import logged_in, user_in
from tests.federation.admin_forms import TOKEN_INPUT
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def neighbour() -> Neighbour:
    return NeighbourFactory(slug="nl-nb", name="Brabant hub", role=NeighbourRole.CHILD)


def test_rotating_a_token_in_the_admin_is_audited_without_the_token(
    admin_client, admin_user, neighbour
):
    # when an administrator rotates the neighbour's inbound token
    response = admin_client.post(
        reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
    )
    # then one entry says who rotated which neighbour's token, but not the token
    (token,) = TOKEN_INPUT.findall(response.content.decode())
    entry = the_one_entry()
    neighbour.refresh_from_db()
    assert entry.action == "hubs.neighbour.token_rotate"
    assert entry.user == admin_user
    assert entry.content_type.model_class() is Neighbour
    assert entry.object_id == str(neighbour.pk)
    assert entry.data == {
        "neighbour": {"slug": "nl-nb", "name": "Brabant hub", "role": "child"}
    }
    assert token not in entry_text(entry)
    assert neighbour.inbound_token_hash not in entry_text(entry)
    assert neighbour.outbound_token not in entry_text(entry)


def test_asking_before_rotating_leaves_no_entry(admin_client, neighbour):
    # when the administrator only opens the confirmation
    response = admin_client.get(
        reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
    )
    # then
    assert response.status_code == 200
    assert not ModelLogEntry.objects.exists()


def test_adding_a_neighbour_in_the_admin_is_audited_without_its_tokens(
    admin_client, admin_user
):
    # given
    outbound = "issued-to-us-by-the-other-hub-0123456789abcdef"
    # when
    response = admin_client.post(
        reverse("federation_admin:neighbour_add"),
        {
            "slug": "be-vl",
            "name": "Flanders hub",
            "role": "peer",
            "endpoint_url": "https://be-vl.hub.example.org/",
            "outbound_token": outbound,
        },
    )
    # then
    (token,) = TOKEN_INPUT.findall(response.content.decode())
    added = Neighbour.objects.get(slug="be-vl")
    entry = the_one_entry()
    assert entry.action == "hubs.neighbour.create"
    assert entry.user == admin_user
    assert entry.object_id == str(added.pk)
    assert entry.data == {
        "neighbour": {"slug": "be-vl", "name": "Flanders hub", "role": "peer"}
    }
    assert token not in entry_text(entry)
    assert outbound not in entry_text(entry)


def test_sync_now_in_the_admin_is_audited(
    admin_client, admin_user, neighbour, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as sends:
        admin_client.post(
            reverse("federation_admin:neighbour_sync", args=[neighbour.pk])
        )
    # then one sync is on its way and one entry says who asked for it
    entry = the_one_entry()
    assert len(sends) == 1
    assert entry.action == "federation.sync.request"
    assert entry.user == admin_user
    assert entry.content_type.model_class() is Neighbour
    assert entry.object_id == str(neighbour.pk)
    assert entry.data == {
        "neighbour": {"slug": "nl-nb", "name": "Brabant hub", "role": "child"},
        "trigger": "admin",
    }


def test_a_refused_sync_now_leaves_no_entry(
    admin_client, django_capture_on_commit_callbacks
):
    # given a neighbour this hub does not pull from
    parent = NeighbourFactory(role=NeighbourRole.PARENT)
    # when
    with django_capture_on_commit_callbacks() as sends:
        response = admin_client.post(
            reverse("federation_admin:neighbour_sync", args=[parent.pk])
        )
    # then
    assert response.status_code == 302
    assert sends == []
    assert not ModelLogEntry.objects.exists()


def test_site_history_lists_the_federation_acts(admin_client, neighbour):
    # given each act done once in the admin
    admin_client.post(
        reverse("federation_admin:neighbour_add"),
        {
            "slug": "be-vl",
            "name": "Flanders hub",
            "role": "peer",
            "endpoint_url": "https://be-vl.hub.example.org/",
        },
    )
    admin_client.post(
        reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
    )
    admin_client.post(reverse("federation_admin:neighbour_sync", args=[neighbour.pk]))
    # when
    response = admin_client.get(SITE_HISTORY)
    # then the report shows the three messages and offers the labels as filters
    html = response.content.decode()
    assert response.status_code == 200
    assert "Added neighbour Flanders hub (peer)" in html
    assert "Rotated the inbound token of Brabant hub" in html
    assert "Asked for a sync of Brabant hub now" in html
    assert "Add neighbour" in html
    assert "Rotate neighbour token" in html
    assert "Sync neighbour now" in html


def test_site_history_shows_the_acts_to_coordinators_but_not_to_editors(
    admin_client, neighbour
):
    # given a rotation, a coordinator and an editor
    admin_client.post(
        reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
    )
    coordinator = user_in("Coordinators", username="coordinator")
    coordinator.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="hubs", codename="change_neighbour"
        )
    )
    editor = user_in("Editors", username="editor")
    # when
    seen = {
        user.username: logged_in(user).get(SITE_HISTORY)
        for user in (coordinator, editor)
    }
    # then only the one who may manage neighbours sees the entry
    assert seen["coordinator"].status_code == 200
    assert (
        "Rotated the inbound token of Brabant hub"
        in seen["coordinator"].content.decode()
    )
    assert seen["editor"].status_code == 200
    assert "Brabant hub" not in seen["editor"].content.decode()
