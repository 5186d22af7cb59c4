"""The search acts that go to Wagtail's audit log ("Reports > Site history")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogActionRegistry, LogFormatter

DEAD_LETTER_REDRIVE = "search.dead_letter.redrive"

# What became of one re-driven dead letter.
REDRIVE_ACCEPTED = "accepted"
REDRIVE_REFUSED = "refused"
REDRIVE_GONE = "gone"
_OUTCOMES = {
    REDRIVE_ACCEPTED: _("the index took it"),
    REDRIVE_REFUSED: _("still refused"),
    REDRIVE_GONE: _("no longer stored"),
}


class DeadLetterRedriveFormatter(LogFormatter):
    """'Re-drove nl:project:1 v3: the index took it'."""

    label = _("Re-drive search dead letter")

    def format_message(self, log_entry: Any) -> str:
        try:
            data = log_entry.data
            return str(_("Re-drove %(record_id)s v%(version)s: %(outcome)s")) % {
                "record_id": data["record_id"],
                "version": data["version"],
                "outcome": _OUTCOMES[data["outcome"]],
            }
        except (KeyError, TypeError):
            return str(_("Re-drove a search dead letter"))


def audit_actions_register(actions: LogActionRegistry) -> None:
    """Give the search acts their labels and messages in the audit log."""
    actions.register_action(DEAD_LETTER_REDRIVE)(DeadLetterRedriveFormatter)
