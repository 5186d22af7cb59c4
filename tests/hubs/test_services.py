"""Neighbour tokens are issued once, stored hashed, and authenticate."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from hubs.models import Neighbour
from hubs.services import (
    neighbour_authenticate,
    neighbour_create,
    neighbour_rotate_inbound_token,
    neighbour_upsert,
)
from tests.audit_entries import entry_text, the_one_entry
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db


def test_create_issues_a_token_stored_only_as_hash():
    # when
    issued = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url="http://nl.example.org/"
    )
    # then
    stored = Neighbour.objects.get(slug="nl")
    assert len(issued.inbound_token) >= 43
    assert (
        stored.inbound_token_hash
        == hashlib.sha256(issued.inbound_token.encode()).hexdigest()
    )
    assert issued.inbound_token not in repr(stored.__dict__.values())
    assert stored.endpoint_url == "http://nl.example.org"


def test_authenticate_accepts_only_the_right_enabled_token():
    issued = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url="http://nl.example.org"
    )
    assert neighbour_authenticate(token=issued.inbound_token) == issued.neighbour
    assert neighbour_authenticate(token=issued.inbound_token + "x") is None
    assert neighbour_authenticate(token="") is None
    assert neighbour_authenticate(token=None) is None
    Neighbour.objects.filter(pk=issued.neighbour.pk).update(enabled=False)
    assert neighbour_authenticate(token=issued.inbound_token) is None


def test_rotation_invalidates_the_old_token():
    issued = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url="http://nl.example.org"
    )
    new_token = neighbour_rotate_inbound_token(neighbour_id=issued.neighbour.pk)
    assert neighbour_authenticate(token=issued.inbound_token) is None
    assert neighbour_authenticate(token=new_token) == issued.neighbour


def test_create_rejects_unknown_role_and_bad_url():
    with pytest.raises(ValidationError, match="role"):
        neighbour_create(slug="x", name="X", role="boss", endpoint_url="http://x.org")
    with pytest.raises(ValidationError, match="endpoint_url"):
        neighbour_create(slug="x", name="X", role="peer", endpoint_url="not a url")
    assert Neighbour.objects.count() == 0


def test_upsert_is_idempotent():
    token = "t" * 40
    for _ in range(2):
        neighbour_upsert(
            slug="eu",
            name="EU",
            role="parent",
            endpoint_url="http://eu.example.org",
            outbound_token="o" * 40,
            inbound_token=token,
        )
    assert Neighbour.objects.count() == 1
    assert neighbour_authenticate(token=token).slug == "eu"


def test_create_without_a_user_is_audited_by_name_not_by_token():
    # when the command line adds a neighbour
    issued = neighbour_create(
        slug="nl", name="NL hub", role="child", endpoint_url="http://nl.example.org"
    )
    # then one entry names it, by nobody, without any of its tokens
    entry = the_one_entry()
    assert entry.action == "hubs.neighbour.create"
    assert entry.user is None
    assert entry.content_type.model_class() is Neighbour
    assert entry.object_id == str(issued.neighbour.pk)
    assert entry.label == "NL hub (child)"
    assert entry.data == {
        "neighbour": {"slug": "nl", "name": "NL hub", "role": "child"}
    }
    assert entry.message == "Added neighbour NL hub (child)"
    assert issued.inbound_token not in entry_text(entry)
    assert issued.neighbour.inbound_token_hash not in entry_text(entry)


def test_rotation_without_a_user_is_audited_by_name_not_by_token():
    # given a neighbour (provisioned directly: no entry of its own)
    neighbour = NeighbourFactory(slug="nl", name="NL hub", role="peer")
    # when the command line rotates its token
    token = neighbour_rotate_inbound_token(neighbour_id=neighbour.pk)
    # then
    entry = the_one_entry()
    neighbour.refresh_from_db()
    assert entry.action == "hubs.neighbour.token_rotate"
    assert entry.user is None
    assert entry.content_type.model_class() is Neighbour
    assert entry.object_id == str(neighbour.pk)
    assert entry.data == {"neighbour": {"slug": "nl", "name": "NL hub", "role": "peer"}}
    assert entry.message == "Rotated the inbound token of NL hub"
    assert token not in entry_text(entry)
    assert token[:6] not in entry_text(entry)
    assert neighbour.inbound_token_hash not in entry_text(entry)
