"""The demo's ports: which of the hubs' ports are taken before it starts, and a
free one for a server the hubs are told about (the mail server)."""

from __future__ import annotations

import socket

from hubnet.localnet import Network


def ports_in_use(network: Network) -> list[int]:
    """The hubs' ports that another process holds."""
    busy = []
    for port in network.ports.values():
        with socket.socket() as probe:
            # As servers bind: connections of an earlier run in TIME_WAIT are fine.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((network.host, port))
            except OSError:
                busy.append(port)
    return busy


def port_free(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now, chosen by the kernel."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
