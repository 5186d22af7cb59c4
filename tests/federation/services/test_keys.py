"""Signing keys: this hub's own key kept like the secret key, rotation and
revocation, and pinning other origins' keys from signed statements."""

import base64
import datetime as dt
import stat

import pytest
from django.core.management import call_command

from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import record_wire
from federation.services.keys import (
    key_revoke,
    key_statements,
    key_statements_apply,
    own_key,
    own_key_forget,
)
from federation.services.store import record_publish, records_apply
from federation.signing import (
    public_key_load,
    record_canonical,
    statement_canonical,
    verify,
)
from hubs.models import HubKey
from tests.federation.factories import body_for, wire_record
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db
PATH = ["hub", "nl", "nl-nb"]


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.HUBNET_SIGNING_KEY = ""
    settings.HUBNET_SIGNING_KEY_FILE = tmp_path / "hub" / "signing.key"
    own_key_forget()
    yield settings.HUBNET_SIGNING_KEY_FILE
    own_key_forget()


def test_the_key_is_generated_on_first_use_with_mode_0600(key_file):
    # when
    key = own_key()
    # then
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_bytes()) == 32
    assert list(HubKey.objects.values_list("origin", "key_id")) == [("hub", key.key_id)]


def test_the_environment_variable_wins_over_the_file(settings, key_file):
    # given: a key in the environment
    other = OriginKeys("hub")
    raw = other.private.private_bytes_raw()
    settings.HUBNET_SIGNING_KEY = base64.b64encode(raw).decode()
    # when
    key = own_key()
    # then
    assert (key.key_id, key_file.exists()) == (other.key_id, False)


def test_published_records_travel_signed_and_verify_with_the_published_key():
    # given
    stored = record_publish(kind="project", body=body_for("project"))
    # when: a receiver pins this hub's statement and checks the wire form
    statement = key_statements()[0]
    record = record_validate(record_wire(stored))
    # then
    public = public_key_load(statement["publicKey"])
    assert record.key_id == statement["keyId"] == own_key().key_id
    assert stored.verified is True
    assert verify(public, record.signature, record_canonical(record))


def test_rotate_announces_the_new_key_signed_with_the_old_one(key_file):
    # given
    old = own_key()
    before = key_file.read_bytes()
    # when
    call_command("keys", "rotate")
    # then: a new key file; the statement is signed by the old key
    new = own_key()
    assert new.key_id != old.key_id
    assert key_file.read_bytes() != before
    statement = HubKey.objects.get(key_id=new.key_id).statements[0]
    assert (statement["previousKeyId"], statement["signedBy"]) == (
        old.key_id,
        old.key_id,
    )
    old_public = public_key_load(HubKey.objects.get(key_id=old.key_id).public_key)
    assert verify(old_public, statement["signature"], statement_canonical(statement))
    assert HubKey.objects.get(
        key_id=old.key_id
    ).rotated_at == dt.datetime.fromisoformat(statement["createdAt"])
    # and what is published now is signed with the new key
    stored = record_publish(kind="project", body=body_for("project"))
    assert stored.key_id == new.key_id


def test_revoking_the_current_key_rotates_first():
    # given
    old = own_key()
    # when
    key_revoke(revoked_key_id=old.key_id)
    # then
    revoked = HubKey.objects.get(key_id=old.key_id)
    statement = revoked.statements[-1]
    assert revoked.revoked_at is not None
    assert (statement["type"], statement["signedBy"]) == ("revoke", own_key().key_id)
    assert own_key().key_id != old.key_id


def test_a_first_key_is_pinned_on_sight_and_replaced_only_by_a_signed_rotation():
    # given: nl-nb's first key is pinned
    origin = OriginKeys("nl-nb")
    assert key_statements_apply(statements=origin.statements).pinned == [
        f"nl-nb:{origin.key_id}"
    ]
    # when: an impostor offers a key of its own for nl-nb
    impostor = OriginKeys("nl-nb", at="2026-11-01T00:00:00+00:00")
    result = key_statements_apply(statements=impostor.statements)
    # then
    assert [reason for _, reason in result.refused] == [
        "a new key of nl-nb signed by itself; "
        "only a rotation signed with a pinned key replaces it"
    ]
    assert list(
        HubKey.objects.filter(origin="nl-nb").values_list("key_id", flat=True)
    ) == [origin.key_id]


def test_rotation_old_records_stay_valid_new_verify_old_key_after_is_refused():
    # given: nl-nb's key is pinned, and a record signed with it before rotating
    origin = OriginKeys("nl-nb")
    key_statements_apply(statements=origin.statements)
    before = origin.sign(wire_record(origin="nl-nb", origin_path=PATH))
    # when: nl-nb rotates at noon and the statement reaches this hub
    old_key = origin.rotate(at="2026-11-01T12:00:00+00:00")
    pinned = key_statements_apply(statements=origin.statements)
    after_new = origin.sign(
        {
            **wire_record(origin="nl-nb", origin_path=PATH),
            "updatedAt": "2026-11-02T00:00:00Z",
        }
    )
    after_old = origin.sign(
        {
            **wire_record(origin="nl-nb", origin_path=PATH),
            "updatedAt": "2026-11-02T00:00:00Z",
        },
        key=old_key,
    )
    result = records_apply(
        records=[record_validate(w) for w in (before, after_new, after_old)],
        source="nl",
    )
    # then
    assert pinned.pinned == [f"nl-nb:{origin.key_id}"]
    assert sorted(result.applied) == sorted([before["id"], after_new["id"]])
    old_id = before["keyId"]
    assert [(r.id, reason) for r, reason in result.refused] == [
        (
            after_old["id"],
            f"signed with key {old_id} of nl-nb after its rotation at "
            "2026-11-01T12:00:00+00:00",
        )
    ]
    assert set(StoredRecord.objects.values_list("verified", flat=True)) == {True}


def test_a_revoked_key_s_records_are_refused_from_then_on():
    # given: nl-nb rotated and then revoked its old key
    origin = OriginKeys("nl-nb")
    key_statements_apply(statements=origin.statements)
    signed_old = origin.sign(wire_record(origin="nl-nb", origin_path=PATH))
    old_id = origin.key_id
    origin.rotate(at="2026-11-01T00:00:00+00:00")
    origin.revoke(old_id, at="2026-11-01T00:00:01+00:00")
    # when
    pinned = key_statements_apply(statements=origin.statements)
    result = records_apply(records=[record_validate(signed_old)], source="nl")
    # then
    assert pinned.revoked == [f"nl-nb:{old_id}"]
    assert [reason for _, reason in result.refused] == [
        f"signed with key {old_id} of nl-nb, revoked"
    ]


def test_a_forged_rotation_changes_nothing():
    # given
    origin = OriginKeys("nl-nb")
    key_statements_apply(statements=origin.statements)
    origin.rotate(at="2026-11-01T00:00:00+00:00")
    forged = {
        **origin.statements[-1],
        "publicKey": OriginKeys("x").statements[0]["publicKey"],
    }
    # when
    result = key_statements_apply(statements=[forged])
    # then
    assert [reason for _, reason in result.refused] == [
        "keyId is not the id of publicKey"
    ]
    assert HubKey.objects.filter(origin="nl-nb").count() == 1
