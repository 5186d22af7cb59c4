"""The risk self-check travels: page → wire → another hub's store."""

import json

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import record_wire
from federation.services.store import records_apply
from hubs.identity import hub_identity
from tests.cms.factories import high_risk_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_hub(settings):
    """Turns this process into another hub (the EU hub) when called."""

    def become() -> None:
        settings.HUB_SLUG = "eu-other"
        settings.HUB_LEVEL = "eu"
        settings.HUB_PATH = ["eu-other"]
        hub_identity.cache_clear()

    yield become
    hub_identity.cache_clear()


def test_the_self_check_and_impact_level_reach_another_hubs_store(other_hub):
    # given a published project whose self-check says: limited human influence,
    # high impact on rights (impact level high)
    page = high_risk_project(publish=True)
    stored = StoredRecord.objects.get(record_id=page.record_id)
    # when its record goes over the wire (JSON) ...
    wire = json.loads(json.dumps(record_wire(stored)))
    # then it carries schema version 3 and the three fields
    assert wire["schemaVersion"] == 3
    sent = wire["body"]
    assert (sent["humanInfluence"], sent["rightsImpact"], sent["impactLevel"]) == (
        "limited",
        "high",
        "high",
    )
    # ... and another hub, whose store does not hold it yet, applies it
    origin = wire["origin"]
    StoredRecord.objects.filter(record_id=page.record_id).delete()
    other_hub()
    with transaction.atomic():
        result = records_apply(records=[record_validate(wire)], source=origin)
    # then that hub's store holds the fields as sent
    assert result.applied == [page.record_id]
    received = StoredRecord.objects.get(record_id=page.record_id)
    assert received.schema_version == 3
    assert received.origin == origin != hub_identity().slug
    got = received.body
    assert (got["humanInfluence"], got["rightsImpact"], got["impactLevel"]) == (
        "limited",
        "high",
        "high",
    )


def test_an_unanswered_self_check_sends_no_impact_level():
    # given a project whose self-check was not answered
    page = high_risk_project(
        publish=True, risk_human_influence="", risk_rights_impact=""
    )
    body = StoredRecord.objects.get(record_id=page.record_id).body
    # then the record leaves the three fields out
    assert not {"humanInfluence", "rightsImpact", "impactLevel"} & set(body)
