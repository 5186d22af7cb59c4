"""Which records of a pinned origin the key ring lets through, at the edges: a
signature or a key id missing, a key id not pinned, a record updated at the very
moment its key was replaced."""

import pytest

from federation.records import record_validate
from federation.services.keys import key_statements_apply
from federation.services.verify import KeyRing
from tests.federation.factories import wire_record
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db
PATH = ["hub", "nl", "nl-nb"]


def _pinned_origin() -> OriginKeys:
    origin = OriginKeys("nl-nb")
    key_statements_apply(statements=origin.statements)
    return origin


@pytest.mark.parametrize("missing", ["signature", "keyId"])
def test_a_record_missing_half_of_its_signature_is_unsigned(missing):
    # given a record of a pinned origin, signed, then stripped of one half
    origin = _pinned_origin()
    signed = origin.sign(wire_record(origin="nl-nb", origin_path=PATH))
    record = record_validate({**signed, missing: None})
    # when
    refusal = KeyRing(["nl-nb"]).refusal(record)
    # then
    assert refusal == "unsigned, but the key of nl-nb is pinned here"


def test_a_record_signed_with_a_key_not_pinned_is_refused():
    # given a record signed by a key the origin never announced
    origin = _pinned_origin()
    stranger = OriginKeys("nl-nb")
    record = record_validate(
        stranger.sign(wire_record(origin="nl-nb", origin_path=PATH))
    )
    # when
    refusal = KeyRing(["nl-nb"]).refusal(record)
    # then
    assert refusal == (f"signed with key {stranger.key_id}, not a pinned key of nl-nb")
    assert stranger.key_id != origin.key_id


def test_a_record_updated_at_the_moment_of_the_rotation_verifies_with_the_old_key():
    # given nl-nb rotated at noon, and a record it signed with the old key at noon
    origin = _pinned_origin()
    wire = {
        **wire_record(origin="nl-nb", origin_path=PATH),
        "updatedAt": "2026-11-01T12:00:00Z",
    }
    signed_at_noon = origin.sign(wire)
    old_key = origin.rotate(at="2026-11-01T12:00:00+00:00")
    key_statements_apply(statements=origin.statements)
    # when
    ring = KeyRing(["nl-nb"])
    # then the rotation refuses only what the old key signed after it
    assert ring.refusal(record_validate(signed_at_noon)) is None
    a_second_later = origin.sign(
        {**wire, "updatedAt": "2026-11-01T12:00:01Z"}, key=old_key
    )
    assert ring.refusal(record_validate(a_second_later)) == (
        f"signed with key {signed_at_noon['keyId']} of nl-nb after its rotation "
        "at 2026-11-01T12:00:00+00:00"
    )
