"""The demo network: an EU hub, two national, two regional and three local hubs.

Wired parent-to-child, plus one lateral peer link ('s-Hertogenbosch and
Eindhoven, the two local hubs of Noord-Brabant). Each hub's NUTS code is the area
it covers; the seeding assigns records to the hub whose area holds them.
"""

from federation.vocabularies import HUB_LEVELS
from hubnet.localnet import HubSpec, Network

DEMO_HUBS = [
    HubSpec("eu", "EU AI Hub Network", "eu", latitude=50.8467, longitude=4.3525),
    HubSpec(
        "nl",
        "AI Hub Nederland",
        "national",
        country="NL",
        nuts="NL",
        latitude=52.0907,
        longitude=5.1214,
        parent="eu",
    ),
    HubSpec(
        "be",
        "AI Hub België-Belgique",
        "national",
        country="BE",
        nuts="BE",
        latitude=50.8503,
        longitude=4.3517,
        parent="eu",
    ),
    HubSpec(
        "nl-nb",
        "AI Hub Noord-Brabant",
        "regional",
        country="NL",
        nuts="NL41",
        latitude=51.6889,
        longitude=5.3199,
        parent="nl",
    ),
    HubSpec(
        "nl-nh",
        "AI Hub Noord-Holland",
        "regional",
        country="NL",
        nuts="NL32",
        latitude=52.3874,
        longitude=4.6462,
        parent="nl",
    ),
    HubSpec(
        "den-bosch",
        "AI Hub 's-Hertogenbosch",
        "local",
        country="NL",
        nuts="NL413",
        latitude=51.6990,
        longitude=5.3042,
        parent="nl-nb",
    ),
    HubSpec(
        "eindhoven",
        "AI Hub Eindhoven",
        "local",
        country="NL",
        nuts="NL414",
        latitude=51.4416,
        longitude=5.4697,
        parent="nl-nb",
        peers=("den-bosch",),
    ),
    HubSpec(
        "amsterdam",
        "AI Hub Amsterdam",
        "local",
        country="NL",
        nuts="NL329",
        latitude=52.3676,
        longitude=4.9041,
        parent="nl-nh",
    ),
]

LEVELS = HUB_LEVELS


def demo_network(
    *, base_port: int = 8100, hubs: list[HubSpec] | None = None
) -> Network:
    """The demo network with consecutive ports from ``base_port`` (EU first)."""
    return Network(hubs=list(hubs or DEMO_HUBS), base_port=base_port)
