"""Launching a prepared network: each hub's web server and workers, and
waiting until every hub reports healthy."""

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import requests

from hubnet.localnet.environment import hubnet_argv
from hubnet.localnet.options import NetworkOptions
from hubnet.localnet.prepare import network_prepare
from hubnet.localnet.running import RunningNetwork
from hubnet.localnet.topology import Network
from hubnet.processes import ProcessGroup, wait_until


def hub_start(
    group: ProcessGroup,
    network: Network,
    slug: str,
    *,
    environ: dict[str, str],
    log_dir: Path,
    web_workers: int = 1,
) -> None:
    """Start the hub's web server and its workers (``hub_workers``; the main one
    embeds the beat scheduler)."""
    bind = f"{network.host}:{network.ports[slug]}"
    group.start(
        f"{slug}-web",
        hubnet_argv("web", "--bind", bind, "--workers", str(web_workers)),
        env=environ,
        log_path=log_dir / f"{slug}-web.log",
    )
    for name, args in hub_workers(slug).items():
        group.start(
            name, hubnet_argv(*args), env=environ, log_path=log_dir / f"{name}.log"
        )


def hub_workers(slug: str) -> dict[str, list[str]]:
    """The hub's worker processes (name: ``hubnet`` arguments). Syncs run in
    their own process: one slot that a slow neighbour may hold for up to
    SYNC_DEADLINE without delaying indexing, pokes or the heartbeat; the vector
    fill (seconds of encoding a batch) runs there too, for the same reason."""
    return {
        f"{slug}-worker": ["worker", "--beat", "--queues=index,health,poke,default"],
        f"{slug}-sync-worker": ["worker", "--queues=sync,embed"],
    }


def hub_health(url: str, *, timeout: float = 5) -> dict | None:
    """The hub's /healthz answer, or None when it does not answer. With
    HEALTH_TOKEN in the environment (the hubs inherit it) the answer says why a
    part is down; without, it holds the status only."""
    token = os.environ.get("HEALTH_TOKEN", "").strip()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = requests.get(f"{url}/healthz", timeout=timeout, headers=headers)
        return response.json()
    except (requests.RequestException, ValueError):
        return None


def hubs_wait_healthy(
    network: Network,
    slugs: Iterable[str],
    *,
    timeout: float = 180,
    on_progress: Callable[[str], None] | None = None,
    group: ProcessGroup | None = None,
) -> dict[str, dict]:
    """Wait until every hub's /healthz reports every part healthy."""
    pending = set(slugs)
    answers: dict[str, dict] = {}

    def all_healthy() -> bool:
        if group is not None and (dead := group.dead()):
            names = ", ".join(process.name for process in dead)
            tail = dead[0].log_tail()
            raise RuntimeError(f"process exited early: {names}\n{tail}")
        for slug in sorted(pending):
            answer = hub_health(network.url(slug), timeout=3)
            if answer and answer.get("status") == "ok":
                answers[slug] = answer
                pending.discard(slug)
                if on_progress:
                    on_progress(slug)
        return not pending

    if not wait_until(all_healthy, timeout=timeout, interval=0.5):
        details = {
            slug: hub_health(network.url(slug), timeout=3) for slug in sorted(pending)
        }
        raise TimeoutError(f"hubs not healthy after {timeout}s: {details}")
    return answers


def network_launch(
    running: RunningNetwork,
    *,
    timeout: float = 240,
    on_progress: Callable[[str], None] | None = None,
) -> RunningNetwork:
    """Start every prepared hub's web server and worker and wait until each
    reports healthy; on failure stop everything."""
    network = running.network
    try:
        for hub in network.hubs:
            hub_start(
                running.group,
                network,
                hub.slug,
                environ=running.environments[hub.slug],
                log_dir=running.log_dir,
            )
        hubs_wait_healthy(
            network,
            [hub.slug for hub in network.hubs],
            group=running.group,
            timeout=timeout,
            on_progress=on_progress,
        )
    except BaseException:
        running.stop()
        raise
    return running


def network_start(
    network: Network,
    options: NetworkOptions,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> RunningNetwork:
    """Prepare every hub (``network_prepare``), start web and worker processes
    and wait until every hub reports healthy (``network_launch``)."""
    return network_launch(network_prepare(network, options), on_progress=on_progress)
