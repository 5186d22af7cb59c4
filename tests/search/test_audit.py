"""A re-driven dead letter has a label and a message in the audit log, in each
language, for each outcome."""

import pytest
from django.utils import translation
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from search.audit import DEAD_LETTER_REDRIVE


@pytest.mark.parametrize(
    ("language", "outcome", "message"),
    [
        ("en", "accepted", "Re-drove nl:project:1 v3: the index took it"),
        ("en", "refused", "Re-drove nl:project:1 v3: still refused"),
        ("en", "gone", "Re-drove nl:project:1 v3: no longer stored"),
        (
            "nl",
            "accepted",
            "Nl:project:1 v3 opnieuw aangeboden: de index heeft hem opgenomen",
        ),
        ("nl", "gone", "Nl:project:1 v3 opnieuw aangeboden: niet meer opgeslagen"),
        ("en", "lost", "Re-drove a search dead letter"),
    ],
)
def test_each_outcome_has_its_message(language, outcome, message):
    # given
    entry = ModelLogEntry(
        action=DEAD_LETTER_REDRIVE,
        data={"record_id": "nl:project:1", "version": 3, "outcome": outcome},
    )
    # when
    with translation.override(language):
        # then
        assert entry.message == message


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Re-drive search dead letter"),
        ("nl", "Door de zoekindex geweigerde wijziging opnieuw aanbieden"),
    ],
)
def test_the_redrive_has_a_label(language, label):
    with translation.override(language):
        assert str(dict(registry.get_choices())[DEAD_LETTER_REDRIVE]) == label
