"""Sending pokes: a neighbour whose poke is pending is skipped without sparing the
others, a malformed answer is a transport error, and a broken poke never breaks
the change that prompted it."""

import logging

import pytest
from django.db import DatabaseError

from federation.models import PokeState, StoredRecord
from federation.services import pokes
from federation.services.peer_http import SyncTransportError
from federation.services.pokes import neighbour_poke, poke_claim
from federation.services.store import PublishItem, records_publish
from hubs.services import neighbour_create
from tests.federation.factories import body_for
from tests.federation.peers import fixed, scripted_peer

pytestmark = pytest.mark.django_db(transaction=True)


def _neighbour(*, slug: str, role: str, url: str = "http://127.0.0.1:1") -> int:
    return neighbour_create(
        slug=slug, name=slug, role=role, endpoint_url=url, outbound_token="o" * 40
    ).neighbour.pk


def _publish() -> None:
    records_publish(items=[PublishItem(kind="dataset", body=body_for("dataset"))])


def test_a_pending_poke_skips_that_neighbour_and_pokes_the_ones_after_it(
    poke_queue,
):
    # given: neighbours poked in the order parent eu, peer be, peer de; be's
    # poke is already pending
    ids = {
        slug: _neighbour(slug=slug, role=role)
        for slug, role in (("eu", "parent"), ("be", "peer"), ("de", "peer"))
    }
    assert poke_claim(neighbour_id=ids["be"]) is True
    # when
    _publish()
    # then: eu and de are poked, be is not poked twice
    assert poke_queue() == sorted([ids["eu"], ids["de"]])


@pytest.mark.parametrize(
    "answer",
    [
        b'{"data": {"poke": null}}',
        b'{"data": {}}',
        b'{"data": null}',
    ],
    ids=["poke-null", "poke-missing", "data-null"],
)
def test_a_poke_answer_that_does_not_match_the_schema_is_a_transport_error(answer):
    # given: a parent that answers the poke with a body of the wrong shape
    with scripted_peer([fixed(200, answer)]) as (url, peer):
        neighbour_id = _neighbour(slug="eu", role="parent", url=url)
        poke_claim(neighbour_id=neighbour_id)
        # when / then
        with pytest.raises(SyncTransportError) as raised:
            neighbour_poke(neighbour_id=neighbour_id)
    assert str(raised.value) == "the poke answer does not match the schema"
    assert len(peer.requests) == 1
    # the pending mark was cleared before the call, so a later change pokes again
    assert PokeState.objects.get(neighbour_id=neighbour_id).pending_until is None


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        (b'{"data": {"poke": {"accepted": true}}}', True),
        (b'{"data": {"poke": {"accepted": false}}}', False),
    ],
)
def test_a_poke_says_whether_the_neighbour_accepted_it(answer, accepted):
    with scripted_peer([fixed(200, answer)]) as (url, _):
        neighbour_id = _neighbour(slug="eu", role="parent", url=url)
        assert neighbour_poke(neighbour_id=neighbour_id) is accepted


def test_a_poke_that_fails_after_the_commit_leaves_the_change_stored(
    monkeypatch, caplog
):
    # given: a parent, and a database that refuses the poke's claim
    _neighbour(slug="eu", role="parent")

    def refused(*, neighbour_id: int) -> bool:
        raise DatabaseError("the claim was refused")

    monkeypatch.setattr(pokes, "poke_claim", refused)
    # when: the change commits, then its poke fails
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        _publish()
    # then: the publish returned, the record is stored, and the failure is logged
    assert StoredRecord.objects.count() == 1
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "django.db.backends.base"
    ] == [
        "Error calling neighbours_poke_enqueue.<locals>.<lambda> in on_commit() "
        "(the claim was refused)."
    ]
