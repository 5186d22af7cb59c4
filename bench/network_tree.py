"""The simulated network's tree: 1 EU hub, the 27 member states' national hubs,
and regional (NUTS-2) and local (NUTS-3) hubs from NUTS 2021, sampled to a size."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from bench.network_sim import Hub

# The project's copy of ../shared/data/nuts2021_regions.csv (hubs/data/README.md).
NUTS_CSV = Path(__file__).resolve().parent.parent / "hubs" / "data" / "nuts2021.csv"
EU27 = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def tree_build(
    *, hubs: int | None, seed: int = 1, csv_path: Path = NUTS_CSV
) -> list[Hub]:
    """1 EU hub, the 27 member states' national hubs, and NUTS-2 (regional) and
    NUTS-3 (local) hubs sampled to ``hubs`` hubs in all (None: every EU27 region)."""
    with csv_path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["code"][:2] in EU27]
    regions = sorted(r["code"] for r in rows if r["level"] == "2")
    locals_of: dict[str, list[str]] = {}
    for row in rows:
        if row["level"] == "3":
            locals_of.setdefault(row["code"][:4], []).append(row["code"])
    chosen_regions, chosen_locals = (
        regions,
        sorted(c for codes in locals_of.values() for c in codes),
    )
    if hubs is not None:
        chosen_regions, chosen_locals = _sample(regions, locals_of, hubs - 28, seed)
    eu = Hub("eu", "eu", ("eu",))
    tree = [eu]
    by_code: dict[str, Hub] = {}
    for country in sorted(EU27):
        tree.append(child_add(eu, country, "national"))
        by_code[country] = tree[-1]
    for code in chosen_regions:
        tree.append(child_add(by_code[code[:2]], code, "regional"))
        by_code[code] = tree[-1]
    for code in chosen_locals:
        tree.append(child_add(by_code[code[:4]], code, "local"))
    return tree


def _sample(
    regions: list[str], locals_of: dict[str, list[str]], rest: int, seed: int
) -> tuple[list[str], list[str]]:
    """Regions and locals in the full tree's proportion, ``rest`` in all."""
    if rest < 2:
        raise ValueError("a network needs at least 30 hubs (1 EU, 27 national, 2 more)")
    total_locals = sum(len(v) for v in locals_of.values())
    wanted_regions = max(1, round(rest * len(regions) / (len(regions) + total_locals)))
    randomly = random.Random(seed)
    order = [r for r in randomly.sample(regions, len(regions)) if locals_of.get(r)]
    picked = order[:wanted_regions]
    pool = [code for region in picked for code in locals_of[region]]
    # Too few locals below the regions picked: one more region, one local less.
    while len(pool) < rest - len(picked) and len(picked) < len(order):
        picked.append(order[len(picked)])
        pool += locals_of[picked[-1]]
    chosen = randomly.sample(sorted(pool), rest - len(picked))
    return sorted(picked), sorted(chosen)


def child_add(parent: Hub, code: str, level: str) -> Hub:
    hub = Hub(code.lower(), level, (*parent.path, code.lower()))
    hub.parent = parent
    parent.children[hub.slug] = hub
    return hub


def project_body(hub: Hub, number: int) -> dict[str, Any]:
    """A project of the size a hub publishes (about 1 kB in wire form)."""
    return {
        "name": f"AI pilot {number} of {hub.slug}",
        "shortDescription": "Route planning for waste collection from sensor data.",
        "description": "The municipality plans its collection rounds from the fill "
        "levels the containers report, saving trips and emissions; a planner "
        "checks every route before it is driven. " * 2,
        "organisation": f"Municipality {hub.slug.upper()}",
        "status": "pilot",
        "location": {"country": hub.slug[:2].upper(), "place": hub.slug.upper()},
    }
