"""The canonical form a record version is signed in, and Ed25519 verification:
signatures made with cryptography (the signer) verify through libsodium (the
verifier) and nothing else does."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from federation.records import record_validate
from federation.signing import (
    b64encode,
    public_key_load,
    public_raw,
    record_canonical,
    sign,
    verify,
)
from tests.federation.factories import wire_record


def test_the_canonical_form_of_a_tombstone_is_exactly_as_documented():
    # given
    record = record_validate(
        {
            **wire_record(
                kind="course",
                origin="nl-nb",
                origin_path=["eu", "nl", "nl-nb"],
                version=3,
                record_id="nl-nb:course:00000000-0000-4000-8000-000000000001",
                deleted=True,
            ),
            "updatedAt": "2026-11-01T11:00:00+01:00",
            "originLevel": "regional",
        }
    )
    # when
    canonical = record_canonical(record)
    # then: prefix, sorted keys, no whitespace, the time in UTC with microseconds
    assert canonical == (
        b"hubnet-record-v1\n"
        b'{"body":null,"deleted":true,'
        b'"id":"nl-nb:course:00000000-0000-4000-8000-000000000001",'
        b'"kind":"course","language":"nl","origin":"nl-nb",'
        b'"originLevel":"regional","originPath":["eu","nl","nl-nb"],'
        b'"schemaVersion":1,"updatedAt":"2026-11-01T10:00:00.000000+00:00",'
        b'"url":"https://nl-nb.example.org/r/1","version":3}'
    )


def test_non_ascii_text_is_signed_as_utf8_not_escaped():
    record = record_validate(wire_record(kind="course", title="Cursus Zoë"))
    assert '"title":"Cursus Zoë"'.encode() in record_canonical(record)


@pytest.fixture
def signed():
    private = Ed25519PrivateKey.generate()
    public = public_key_load(b64encode(public_raw(private)))
    return private, public, sign(private, b"message")


def test_a_signature_verifies_with_the_signer_s_public_key(signed):
    _, public, signature = signed
    assert verify(public, signature, b"message") is True


def _flipped(signature: str) -> str:
    """The signature with one bit of its first byte flipped."""
    raw = bytearray(base64.b64decode(signature))
    raw[0] ^= 1
    return b64encode(bytes(raw))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda sig, msg, key: (sig, b"messagf", key), id="message"),
        pytest.param(
            lambda sig, msg, key: (
                sig,
                msg,
                public_key_load(b64encode(public_raw(Ed25519PrivateKey.generate()))),
            ),
            id="other-key",
        ),
        pytest.param(lambda sig, msg, key: (_flipped(sig), msg, key), id="one-bit"),
        pytest.param(
            lambda sig, msg, key: (b64encode(b"x" * 32), msg, key), id="short"
        ),
        pytest.param(lambda sig, msg, key: ("not base64!", msg, key), id="garbage"),
        pytest.param(lambda sig, msg, key: (None, msg, key), id="missing"),
    ],
)
def test_anything_else_does_not_verify(signed, change):
    _, public, signature = signed
    bad_signature, message, key = change(signature, b"message", public)
    assert verify(key, bad_signature, message) is False
