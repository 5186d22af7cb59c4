"""Blocks of free local ports for the processes a test starts."""

from __future__ import annotations

import random
import socket

# Out of the kernel's ephemeral range (Linux: 32768-60999): processes that bind
# their ports only after a minute of work (hubs seeding, nodes starting) would
# otherwise meet an outgoing connection that took its local port from there.
PORT_BLOCK_RANGE = (20000, 32000)


def free_port_block(count: int, *, avoid: range = range(0)) -> int:
    """A base port such that it and the next ``count - 1`` ports are free, out of
    the ephemeral range and outside ``avoid``."""
    low, high = PORT_BLOCK_RANGE
    for _ in range(200):
        base = random.randrange(low, high - count)
        if set(range(base, base + count)) & set(avoid):
            continue
        probes = [socket.socket() for _ in range(count)]
        try:
            for offset, probe in enumerate(probes):
                probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    raise RuntimeError(f"no block of {count} free ports")
