"""The shape of a network on one machine: its hubs, their links and ports, and
one token per directed link."""

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class HubSpec:
    """One hub of a network: its identity and its place in the tree."""

    slug: str
    name: str
    level: str
    country: str = ""
    nuts: str = ""
    latitude: float | None = None
    longitude: float | None = None
    parent: str | None = None
    peers: tuple[str, ...] = ()


@dataclass
class Network:
    """Hubs wired parent-to-child plus lateral peers, with a port per hub."""

    hubs: list[HubSpec]
    base_port: int = 8100
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        slugs = [hub.slug for hub in self.hubs]
        if len(set(slugs)) != len(slugs):
            raise ValueError("hub slugs must be unique")
        if not self.ports:
            self.ports = {
                hub.slug: self.base_port + index for index, hub in enumerate(self.hubs)
            }
        if set(self.ports) != set(slugs):
            raise ValueError("ports must name every hub exactly once")
        for hub in self.hubs:
            for other in (hub.parent, *hub.peers):
                if other is not None and other not in self.ports:
                    raise ValueError(f"{hub.slug} names unknown hub {other}")

    def hub(self, slug: str) -> HubSpec:
        return next(hub for hub in self.hubs if hub.slug == slug)

    def url(self, slug: str) -> str:
        return f"http://{self.host}:{self.ports[slug]}"

    def path(self, slug: str) -> list[str]:
        path = [slug]
        seen = {slug}
        parent = self.hub(slug).parent
        while parent is not None:
            if parent in seen:
                raise ValueError(f"the parent chain of {slug} loops")
            path.insert(0, parent)
            seen.add(parent)
            parent = self.hub(parent).parent
        return path

    def neighbours(self, slug: str) -> list[tuple[HubSpec, str]]:
        """(neighbour, its role seen from ``slug``) for every link of ``slug``."""
        me = self.hub(slug)
        links: list[tuple[HubSpec, str]] = []
        if me.parent:
            links.append((self.hub(me.parent), "parent"))
        links += [(hub, "child") for hub in self.hubs if hub.parent == slug]
        peers = set(me.peers) | {hub.slug for hub in self.hubs if slug in hub.peers}
        links += [(self.hub(peer), "peer") for peer in sorted(peers)]
        return links


def network_tokens(network: Network, *, state_file: Path) -> dict[str, str]:
    """One random token per directed link ``a>b`` (what a presents to b).

    Kept in a 0600 file so a re-run reuses the tokens the databases already hold.
    """
    tokens: dict[str, str] = {}
    if state_file.exists():
        tokens = json.loads(state_file.read_text())
    for hub in network.hubs:
        for neighbour, _role in network.neighbours(hub.slug):
            tokens.setdefault(f"{hub.slug}>{neighbour.slug}", secrets.token_urlsafe(32))
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.touch(mode=0o600)
    state_file.write_text(json.dumps(tokens, indent=1))
    return tokens
