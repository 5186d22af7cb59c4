"""The state of a running demo network: start the first syncs, wait until the EU
hub holds every record, count what each hub holds (the summary), print the
tables, and the ``--check`` verdict."""

from __future__ import annotations

import time
from typing import Any

import requests

from hubnet.demo.data import level_counts, plan_counts
from hubnet.demo.hubs import LEVELS
from hubnet.demo.progress import ProgressBar, say
from hubnet.localnet import Network, RunningNetwork, hub_health

KINDS = ("project", "organisation", "dataset", "course")
FACES = (
    ("site", "/"),
    ("admin", "/admin/"),
    ("GraphQL", "/graphql"),
    ("API docs", "/api/docs/"),
    ("search", "/search/"),
)

# -- federation ---------------------------------------------------------------------


def hub_graphql(url: str, query: str, *, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(
        f"{url}/graphql", json={"query": query}, headers=headers, timeout=30
    )
    payload = response.json()
    if payload.get("errors"):
        raise RuntimeError(f"{url}/graphql: {payload['errors'][0].get('message')}")
    return payload["data"]


def federation_kick(running: RunningNetwork) -> None:
    """Ask every hub to pull its children and peers now, as a publishing hub's
    worker does after a change (the seeding ran before the hubs were up)."""
    from federation.wire import POKE_MUTATION

    network = running.network
    for hub in sorted(network.hubs, key=lambda hub: -len(network.path(hub.slug))):
        for neighbour, role in network.neighbours(hub.slug):
            if role not in ("parent", "peer"):
                continue
            token = running.tokens[f"{hub.slug}>{neighbour.slug}"]
            try:
                hub_graphql(network.url(neighbour.slug), POKE_MUTATION, token=token)
            except (requests.RequestException, RuntimeError, ValueError) as error:
                say(f"  could not poke {neighbour.slug} for {hub.slug}: {error}")


def count_query(fields: dict[str, str]) -> str:
    parts = [
        f"{alias}: records({arguments} first: 1) {{ totalCount }}"
        for alias, arguments in fields.items()
    ]
    return "query Counts { " + " ".join(parts) + " }"


def _alias(slug: str) -> str:
    return "h_" + slug.replace("-", "_")


def _own_counts(network: Network) -> dict[str, int]:
    """How many live records each hub holds of its own."""
    return {
        hub.slug: hub_graphql(
            network.url(hub.slug),
            count_query({"own": f'origin: "{hub.slug}"'}),
        )["own"]["totalCount"]
        for hub in network.hubs
    }


def _top_counts(network: Network) -> dict[str, int]:
    """How many live records of each origin the EU (top) hub holds."""
    top = network.hubs[0].slug
    data = hub_graphql(
        network.url(top),
        count_query(
            {_alias(hub.slug): f'origin: "{hub.slug}"' for hub in network.hubs}
        ),
    )
    return {hub.slug: data[_alias(hub.slug)]["totalCount"] for hub in network.hubs}


def converged_wait(network: Network, *, timeout: float) -> bool:
    """Wait until the EU hub holds as many live records of every origin as the
    origin itself; show how far syncing is."""
    own = _own_counts(network)
    bar = ProgressBar("syncing", sum(own.values()))
    deadline = time.monotonic() + timeout
    while True:
        try:
            held = _top_counts(network)
        except (requests.RequestException, RuntimeError, ValueError):
            held = {}
        done = sum(min(held.get(slug, 0), count) for slug, count in own.items())
        behind = [slug for slug, count in own.items() if held.get(slug) != count]
        bar.update(done, note=f"EU hub waits for {', '.join(behind)}" if behind else "")
        if not behind:
            bar.finish(note="the EU hub holds every record of every hub")
            return True
        if time.monotonic() > deadline:
            bar.finish(note=f"not converged after {timeout:.0f}s: {', '.join(behind)}")
            return False
        time.sleep(1.0)


# -- summary, tables and the check --------------------------------------------------


def _face_status(url: str) -> int | None:
    try:
        return requests.get(url, timeout=5, allow_redirects=False).status_code
    except requests.RequestException:
        return None


def network_summary(
    network: Network, plan: dict[str, list], converged: bool, seconds: float
) -> dict[str, Any]:
    hubs = []
    for hub in network.hubs:
        url = network.url(hub.slug)
        fields = {kind: f'origin: "{hub.slug}" kinds: [{kind}]' for kind in KINDS} | {
            "held": ""
        }
        data = hub_graphql(url, count_query(fields))
        faces = {name: f"{url}{path}" for name, path in FACES}
        hubs.append(
            {
                "slug": hub.slug,
                "name": hub.name,
                "level": hub.level,
                "urls": faces,
                "missing": [
                    name
                    for name, face in faces.items()
                    if _face_status(face) in (None, 404)
                ],
                "own": {kind: data[kind]["totalCount"] for kind in KINDS},
                "held": data["held"]["totalCount"],
            }
        )
    top = network.hubs[0]
    fields = {
        f"{_alias(hub.slug)}_{kind}": f'origin: "{hub.slug}" kinds: [{kind}]'
        for hub in network.hubs
        for kind in KINDS
    }
    data = hub_graphql(network.url(top.slug), count_query(fields))
    at_top = {
        level: {
            kind: sum(
                data[f"{_alias(hub.slug)}_{kind}"]["totalCount"]
                for hub in network.hubs
                if hub.level == level
            )
            for kind in KINDS
        }
        for level in LEVELS
    }
    return {
        "seconds": round(seconds, 1),
        "converged": converged,
        "top": top.slug,
        "hubs": hubs,
        "levels": at_top,
        "seeded": {
            "hubs": plan_counts(plan),
            "levels": level_counts(plan, network.hubs),
        },
    }


def summary_print(summary: dict[str, Any]) -> None:
    say("")
    say(f"hubnet demo network is up ({summary['seconds']:.0f}s).")
    widths = [11, 9, 24, 30, 31, 33, 31]
    header = ["hub", "level", *[name for name, _ in FACES]]
    say(
        "".join(
            f"{title:<{width}}" for title, width in zip(header, widths, strict=True)
        )
    )
    say("-" * sum(widths))
    missing_any = False
    for hub in summary["hubs"]:
        cells = [hub["slug"], hub["level"]]
        for name, _ in FACES:
            mark = "*" if name in hub["missing"] else ""
            missing_any |= bool(mark)
            cells.append(hub["urls"][name] + mark)
        say(
            "".join(
                f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True)
            )
        )
    if missing_any:
        say("* not served by this build yet")
    say(
        "Every hub also serves /search/partners/ (find partners), /insight/"
        " (dashboard), /catalog.ttl (DCAT-AP 3),"
    )
    say(
        "/api/v1/algoritmeregister/ (algorithm register 1.0),"
        " /api/v1/search/export.csv|.xlsx and /api/v1/records/<id>.jsonld."
    )
    say("")
    say("Records per hub (own, by kind) and held (own and federated):")
    header = ["hub", "level", *KINDS, "own", "held"]
    widths = [11, 10, 9, 14, 9, 8, 8, 8]
    say(
        "".join(
            f"{title:<{width}}" for title, width in zip(header, widths, strict=True)
        )
    )
    say("-" * sum(widths))
    for hub in summary["hubs"]:
        own = hub["own"]
        cells = [
            hub["slug"],
            hub["level"],
            *[f"{own[kind]:,}" for kind in KINDS],
            f"{sum(own.values()):,}",
            f"{hub['held']:,}",
        ]
        say(
            "".join(
                f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True)
            )
        )
    say("")
    say(f"Records per level, as the {summary['top']} hub holds them:")
    header = ["level", *KINDS, "total"]
    widths = [21, 9, 14, 9, 8, 8]
    say(
        "".join(
            f"{title:<{width}}" for title, width in zip(header, widths, strict=True)
        )
    )
    say("-" * sum(widths))
    for level in LEVELS:
        counts = summary["levels"][level]
        cells = [
            level,
            *[f"{counts[kind]:,}" for kind in KINDS],
            f"{sum(counts.values()):,}",
        ]
        say(
            "".join(
                f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True)
            )
        )
    total = sum(sum(counts.values()) for counts in summary["levels"].values())
    say(f"{'all levels':<21}{'':<40}{total:,}")
    say("")


def network_check(network: Network, summary: dict[str, Any]) -> int:
    """Every hub healthy, every seeded record at its hub, the EU hub holds all."""
    problems = []
    for hub in network.hubs:
        answer = hub_health(network.url(hub.slug)) or {}
        if answer.get("status") != "ok":
            problems.append(f"{hub.slug} is not healthy: {answer}")
    if not summary["converged"]:
        problems.append("the EU hub does not hold every record")
    for hub in summary["hubs"]:
        seeded = summary["seeded"]["hubs"].get(hub["slug"], {})
        for kind, count in seeded.items():
            if hub["own"][kind] < count:
                problems.append(
                    f"{hub['slug']} holds {hub['own'][kind]} own {kind} records, "
                    f"seeded {count}"
                )
    for level in LEVELS:
        own = {
            kind: sum(
                hub["own"][kind] for hub in summary["hubs"] if hub["level"] == level
            )
            for kind in KINDS
        }
        if own != summary["levels"][level]:
            problems.append(
                f"{level}: the hubs hold {own}, the EU hub {summary['levels'][level]}"
            )
    for problem in problems:
        say(f"check failed: {problem}")
    if not problems:
        say("check passed: every hub is healthy, seeded and synced to the EU hub")
    return 1 if problems else 0
