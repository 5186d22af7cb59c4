"""The federation acts have labels and messages in the audit log, in each language."""

import pytest
from django.utils import translation
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from federation.audit import SYNC_REQUEST

DATA = {
    "neighbour": {"slug": "nl", "name": "NL hub", "role": "peer"},
    "trigger": "admin",
}


@pytest.mark.parametrize(
    ("language", "label", "message", "without_data"),
    [
        (
            "en",
            "Sync neighbour now",
            "Asked for a sync of NL hub now",
            "Asked for a sync of a neighbour now",
        ),
        (
            "nl",
            "Naburige hub nu synchroniseren",
            "Synchronisatie met NL hub nu aangevraagd",
            "Synchronisatie met een naburige hub nu aangevraagd",
        ),
    ],
)
def test_sync_request_has_a_label_and_a_message(language, label, message, without_data):
    # given entries with and without their data (unsaved: formatting only)
    entry = ModelLogEntry(action=SYNC_REQUEST, data=DATA)
    bare = ModelLogEntry(action=SYNC_REQUEST, data={})
    # when
    with translation.override(language):
        # then
        assert str(dict(registry.get_choices())[SYNC_REQUEST]) == label
        assert entry.message == message
        assert bare.message == without_data
