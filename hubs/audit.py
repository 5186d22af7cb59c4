"""The neighbour acts that go to Wagtail's audit log ("Reports > Site history").

The log entry names the neighbour, never its tokens: a clear token is shown once
to whoever issued it and is stored only hashed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogActionRegistry, LogFormatter

from hubs.models import Neighbour

NEIGHBOUR_CREATE = "hubs.neighbour.create"
NEIGHBOUR_TOKEN_ROTATE = "hubs.neighbour.token_rotate"  # noqa: S105 (a name)


def neighbour_audit_data(neighbour: Neighbour) -> dict[str, Any]:
    """What an entry keeps about a neighbour: who it is, not how it signs in."""
    return {
        "neighbour": {
            "slug": neighbour.slug,
            "name": neighbour.name,
            "role": neighbour.role,
        }
    }


class NeighbourCreateFormatter(LogFormatter):
    """'Added neighbour Brabant hub (child)'."""

    label = _("Add neighbour")

    def format_message(self, log_entry: Any) -> str:
        try:
            return str(
                _("Added neighbour %(name)s (%(role)s)") % log_entry.data["neighbour"]
            )
        except (KeyError, TypeError):
            return str(_("Added a neighbour"))


class NeighbourTokenRotateFormatter(LogFormatter):
    """'Rotated the inbound token of Brabant hub'."""

    label = _("Rotate neighbour token")

    def format_message(self, log_entry: Any) -> str:
        try:
            return str(
                _("Rotated the inbound token of %(name)s") % log_entry.data["neighbour"]
            )
        except (KeyError, TypeError):
            return str(_("Rotated a neighbour's inbound token"))


def audit_actions_register(actions: LogActionRegistry) -> None:
    """Give the neighbour acts their labels and messages in the audit log."""
    actions.register_action(NEIGHBOUR_CREATE)(NeighbourCreateFormatter)
    actions.register_action(NEIGHBOUR_TOKEN_ROTATE)(NeighbourTokenRotateFormatter)
