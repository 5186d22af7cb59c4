"""Asking for a sync now: queued once, audited, refused for neighbours not pulled."""

import pytest
from wagtail.models import ModelLogEntry

from federation.services.sync import SyncNotPulled, sync_request
from hubs.models import Neighbour, NeighbourRole
from tests.audit_entries import the_one_entry
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db


def test_a_request_without_a_user_queues_one_sync_and_is_audited(
    django_capture_on_commit_callbacks,
):
    # given
    neighbour = NeighbourFactory(slug="nl", name="NL hub", role=NeighbourRole.PEER)
    # when the system asks for a sync
    with django_capture_on_commit_callbacks() as sends:
        returned = sync_request(neighbour_id=neighbour.pk)
    # then
    entry = the_one_entry()
    assert returned == neighbour
    assert len(sends) == 1
    assert entry.action == "federation.sync.request"
    assert entry.user is None
    assert entry.content_type.model_class() is Neighbour
    assert entry.object_id == str(neighbour.pk)
    assert entry.data == {
        "neighbour": {"slug": "nl", "name": "NL hub", "role": "peer"},
        "trigger": "admin",
    }
    assert entry.message == "Asked for a sync of NL hub now"


@pytest.mark.parametrize(
    ("role", "enabled"), [(NeighbourRole.PARENT, True), (NeighbourRole.CHILD, False)]
)
def test_a_neighbour_not_pulled_is_refused_without_entry(
    role, enabled, django_capture_on_commit_callbacks
):
    # given
    neighbour = NeighbourFactory(name="Other hub", role=role, enabled=enabled)
    # when
    with (
        django_capture_on_commit_callbacks() as sends,
        pytest.raises(SyncNotPulled, match="does not pull from Other hub"),
    ):
        sync_request(neighbour_id=neighbour.pk)
    # then
    assert sends == []
    assert not ModelLogEntry.objects.exists()
