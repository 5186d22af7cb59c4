"""Factories for the sync bookkeeping (state, runs, quarantine) of a neighbour."""

import hashlib

import factory

from federation.models import QuarantinedRecord, SyncRun, SyncState
from hubs.models import Neighbour
from hubs.services import neighbour_create
from tests.hubs.factories import NeighbourFactory


class SyncStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncState

    neighbour = factory.SubFactory(NeighbourFactory)


class SyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRun

    neighbour = factory.SubFactory(NeighbourFactory)
    outcome = SyncRun.Outcome.OK
    trigger = "schedule"


class QuarantinedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarantinedRecord

    neighbour = factory.SubFactory(NeighbourFactory)
    record_id = factory.Sequence(
        lambda n: f"nl:project:00000000-0000-4000-8000-{n:012d}"
    )
    version = 1
    payload = factory.LazyAttribute(lambda o: f'{{"id": "{o.record_id}"}}')
    payload_hash = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.payload.encode()).hexdigest()
    )
    reason = "body.status: Input should be 'idea', 'development' or 'pilot'"


def child_at(url: str, *, cursor: str | None = None) -> Neighbour:
    """Child ``nl`` of this hub answering at ``url``, with its sync state (at
    ``cursor``, or none yet), as the services create them."""
    neighbour = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url=url, outbound_token="o" * 40
    ).neighbour
    SyncState.objects.create(neighbour=neighbour, cursor=cursor or "")
    return neighbour
