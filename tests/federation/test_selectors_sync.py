"""The sync status of a neighbour, as the admin and health show it."""

import datetime as dt

import pytest
from django.utils import timezone

from federation.models import SyncState
from federation.selectors_sync import sync_status_get
from hubs.models import Neighbour, NeighbourRole
from tests.federation.factories_sync import SyncStateFactory
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour() -> Neighbour:
    return NeighbourFactory(slug="nl-nb", name="Brabant hub", role=NeighbourRole.CHILD)


def test_status_selector_measures_lag_in_changes_and_time(neighbour):
    # given
    now = timezone.now()
    SyncStateFactory(
        neighbour=neighbour,
        remote_latest_seq=120,
        local_position_seq=100,
        last_success_at=now - dt.timedelta(minutes=5),
        consecutive_failures=2,
        last_error="boom",
    )
    # when
    status = sync_status_get(neighbour_id=neighbour.pk, now=now)
    # then
    assert (status.lag_changes, status.lag_time) == (20, dt.timedelta(minutes=5))
    assert (status.consecutive_failures, status.last_error) == (2, "boom")
    assert (status.pulled, status.running) == (True, False)


def test_status_selector_without_state_measures_nothing(neighbour):
    # when
    status = sync_status_get(neighbour_id=neighbour.pk)
    # then
    assert not SyncState.objects.exists()
    assert (status.state, status.lag_changes, status.lag_time) == (None, None, None)
    assert status.consecutive_failures == 0
