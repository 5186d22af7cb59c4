"""Fixtures for end-to-end tests that run several real hub processes."""

import socket

import pytest


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


@pytest.fixture
def e2e_var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("network")
