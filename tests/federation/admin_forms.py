"""Form data for the Federation admin's pages, as a browser would post it, and
the field a page shows a new inbound token in."""

import re

# The read-only field that shows a new inbound token once.
TOKEN_INPUT = re.compile(r'id="inbound-token-value"\s+value="([^"]+)"')

NEW_OUTBOUND_TOKEN = "issued-to-us-by-the-other-hub-0123456789abcdef"


def neighbour_add_form(**overrides: str) -> dict[str, str]:
    """The "add neighbour" form, filled in for a peer, with ``overrides``."""
    return {
        "slug": "be-vl",
        "name": "Flanders hub",
        "role": "peer",
        "endpoint_url": "https://be-vl.hub.example.org/",
        "outbound_token": NEW_OUTBOUND_TOKEN,
        **overrides,
    }
