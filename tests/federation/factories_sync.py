"""Factories for the sync bookkeeping (state, runs, quarantine) of a neighbour."""

import hashlib

import factory

from federation.models import QuarantinedRecord, SyncRun, SyncState
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
