"""The public key document at /.well-known/hubnet-keys.json."""

import pytest

from federation.services.keys import own_key
from federation.signing import key_id, public_key_load, statement_canonical, verify
from hubs.models import HubKey
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db


def test_the_well_known_document_lists_this_hub_s_key_and_pinned_ones(client):
    # given: a pinned key of nl-nb
    origin = OriginKeys("nl-nb")
    HubKey.objects.create(
        origin="nl-nb",
        key_id=origin.key_id,
        public_key=origin.statements[0]["publicKey"],
        created_at="2026-10-01T00:00:00Z",
        statements=origin.statements,
    )
    # when
    response = client.get("/.well-known/hubnet-keys.json")
    # then
    document = response.json()
    assert response.status_code == 200
    assert (document["hub"], document["currentKeyId"]) == ("hub", own_key().key_id)
    by_origin = {s["origin"]: s for s in document["statements"]}
    assert set(by_origin) == {"hub", "nl-nb"}
    mine = by_origin["hub"]
    public = public_key_load(mine["publicKey"])
    assert mine["keyId"] == key_id(bytes(public))
    assert verify(public, mine["signature"], statement_canonical(mine))


def test_the_well_known_document_is_read_only(client):
    assert client.post("/.well-known/hubnet-keys.json").status_code == 405
