"""The neighbour acts have labels and messages in the audit log, in each language."""

import pytest
from django.utils import translation
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from hubs.audit import NEIGHBOUR_CREATE, NEIGHBOUR_TOKEN_ROTATE

DATA = {"neighbour": {"slug": "nl", "name": "NL hub", "role": "peer"}}


@pytest.mark.parametrize(
    ("action", "language", "label", "message", "without_data"),
    [
        (
            NEIGHBOUR_CREATE,
            "en",
            "Add neighbour",
            "Added neighbour NL hub (peer)",
            "Added a neighbour",
        ),
        (
            NEIGHBOUR_CREATE,
            "nl",
            "Naburige hub toevoegen",
            "Naburige hub NL hub (peer) toegevoegd",
            "Een naburige hub toegevoegd",
        ),
        (
            NEIGHBOUR_TOKEN_ROTATE,
            "en",
            "Rotate neighbour token",
            "Rotated the inbound token of NL hub",
            "Rotated a neighbour's inbound token",
        ),
        (
            NEIGHBOUR_TOKEN_ROTATE,
            "nl",
            "Token van naburige hub vervangen",
            "Het inkomende token van NL hub vervangen",
            "Het inkomende token van een naburige hub vervangen",
        ),
    ],
)
def test_each_act_has_a_label_and_a_message(
    action, language, label, message, without_data
):
    # given entries with and without their data (unsaved: formatting only)
    entry = ModelLogEntry(action=action, data=DATA)
    bare = ModelLogEntry(action=action, data={})
    # when
    with translation.override(language):
        # then
        assert str(dict(registry.get_choices())[action]) == label
        assert entry.message == message
        assert bare.message == without_data
