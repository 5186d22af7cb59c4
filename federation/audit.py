"""The federation acts that go to Wagtail's audit log ("Reports > Site history")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogActionRegistry, LogFormatter

SYNC_REQUEST = "federation.sync.request"


class SyncRequestFormatter(LogFormatter):
    """'Asked for a sync of Brabant hub now'."""

    label = _("Sync neighbour now")

    def format_message(self, log_entry: Any) -> str:
        try:
            return str(
                _("Asked for a sync of %(name)s now") % log_entry.data["neighbour"]
            )
        except (KeyError, TypeError):
            return str(_("Asked for a sync of a neighbour now"))


def audit_actions_register(actions: LogActionRegistry) -> None:
    """Give the federation acts their labels and messages in the audit log."""
    actions.register_action(SYNC_REQUEST)(SyncRequestFormatter)
