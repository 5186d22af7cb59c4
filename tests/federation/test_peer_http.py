"""Requests to a neighbour end by their deadline, however slowly it answers."""

import json
import socket
import time

import pytest

from federation.services.peer_http import (
    SyncEndpointRefused,
    SyncTransportError,
    graphql_post,
    json_loads,
    peer_session,
)
from hubs.models import Neighbour
from tests.federation.peers import feed_answer, fixed, scripted_peer, trickling_peer

SLACK = 1.5


def _neighbour(url: str) -> Neighbour:
    # Unsaved: the request needs only the endpoint and the token.
    return Neighbour(slug="nl", endpoint_url=url, outbound_token="o" * 40)


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_trickling_peer_is_cut_off_at_the_request_deadline(settings, phase):
    # given: a peer that sends one byte a second, each read well within the
    # per-read timeout
    settings.SYNC_READ_TIMEOUT = 5
    settings.SYNC_REQUEST_DEADLINE = 2
    with trickling_peer(phase=phase, interval=1.0) as url, peer_session() as session:
        started = time.monotonic()
        # when
        with pytest.raises(SyncTransportError) as raised:
            graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
        elapsed = time.monotonic() - started
    # then
    assert 2 <= elapsed < 2 + SLACK
    assert str(raised.value) == (
        f"timeout talking to {url}/graphql: no complete answer within 2s "
        "(the request deadline)"
    )


def test_an_earlier_deadline_given_by_the_caller_wins(settings):
    settings.SYNC_REQUEST_DEADLINE = 60
    with trickling_peer(phase="body") as url, peer_session() as session:
        started = time.monotonic()
        with pytest.raises(SyncTransportError, match="within 1s"):
            graphql_post(
                session=session,
                neighbour=_neighbour(url),
                query="{x}",
                deadline=started + 1,
            )
        assert time.monotonic() - started < 1 + SLACK


def test_a_prompt_answer_is_read_whole_twice_on_one_session(settings):
    # given: a large answer, read piece by piece, twice on one session
    settings.SYNC_REQUEST_DEADLINE = 5
    page = feed_answer([{"padding": "x" * 500_000}], end_cursor="c1")
    with scripted_peer([lambda request: page]) as (url, peer), peer_session() as s:
        # when
        first = graphql_post(session=s, neighbour=_neighbour(url), query="{x}")
        second = graphql_post(session=s, neighbour=_neighbour(url), query="{x}")
    # then
    assert first == second
    assert first["data"]["changes"]["edges"][0]["wire"]["padding"] == "x" * 500_000
    assert len(peer.requests) == 2


# Where the client may go ----------------------------------------------------


def test_a_private_endpoint_is_refused_before_any_request(settings):
    # given a neighbour stored while private addresses were allowed
    settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = True
    with (
        scripted_peer([fixed(200, b'{"data": {}}')]) as (url, peer),
        peer_session() as session,
    ):
        # when they no longer are
        settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(SyncEndpointRefused) as refused:
            graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then the peer saw nothing, and the error says why
    assert peer.requests == []
    assert str(refused.value) == (
        f"refused to talk to {url}/graphql: 127.0.0.1 is a loopback address "
        "(allowed only with NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES=1)"
    )


def test_a_name_rebound_to_a_private_address_after_the_check_is_refused(
    settings, monkeypatch
):
    # given a name whose DNS answer changes between the check and the connection
    # (public first, then this machine)
    settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = False
    answers = iter(["93.184.215.14", "127.0.0.1"])

    def getaddrinfo(host, port, *args, **kwargs):
        assert host == "nl.example.org"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    with (
        scripted_peer([fixed(200, b'{"data": {}}')]) as (url, peer),
        peer_session() as session,
    ):
        port = url.rsplit(":", 1)[1]
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        # when
        with pytest.raises(SyncEndpointRefused) as refused:
            graphql_post(
                session=session,
                neighbour=_neighbour(f"http://nl.example.org:{port}"),
                query="{x}",
            )
    # then the connection was dropped before a request was sent
    assert peer.requests == []
    assert "nl.example.org connected to 127.0.0.1, a loopback address" in str(
        refused.value
    )


def test_redirects_are_not_followed(settings):
    # given a peer that redirects the feed elsewhere
    def redirect(request):
        return 307, b"{}"

    with (
        scripted_peer([redirect]) as (url, peer),
        peer_session() as session,
        pytest.raises(SyncTransportError, match="answered HTTP 307, a redirect"),
    ):
        # when
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then exactly one request was made
    assert len(peer.requests) == 1


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": [1, -2, 0.1, 9223372036854775807], "b": "\\u00fc", "c": null}',
        b'{"version": 1180591620717411303424, "amount": -98765432109876543210}',
        b'{"name": "\\ud800 alone", "value": NaN, "big": 1e400}',
    ],
    ids=["plain", "beyond-64-bits", "refused-by-the-fast-parser"],
)
def test_a_peer_answer_reads_as_the_standard_parser_reads_it(raw):
    # when
    parsed = json_loads(raw)
    # then: the same values and types, integers beyond 64 bits exact
    assert repr(parsed) == repr(json.loads(raw))
