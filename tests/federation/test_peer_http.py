"""Requests to a neighbour end by their deadline, however slowly it answers."""

import json
import socket
import time

import pytest

from federation.services.peer_http import (
    SyncDeadlinePassed,
    SyncEndpointRefused,
    SyncThrottled,
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


def test_redirects_are_not_followed():
    # given a peer that redirects the feed to another peer, which would answer
    elsewhere = fixed(200, b'{"data": {"hub": {"slug": "elsewhere"}}}')
    with scripted_peer([elsewhere]) as (other_url, other):
        redirect = fixed(307, b"{}", {"Location": f"{other_url}/graphql"})
        with (
            scripted_peer([redirect]) as (url, peer),
            peer_session() as session,
            # when
            pytest.raises(SyncTransportError) as raised,
        ):
            graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then exactly one request was made, to the first peer only
    assert str(raised.value) == f"{url}/graphql answered HTTP 307, a redirect"
    assert len(peer.requests) == 1
    assert other.requests == []


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


# What an answer must be ------------------------------------------------------

ERRORS_BODY = json.dumps({"errors": [{"message": "Not authorised"}]}).encode()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, b'{"data": {}}', None),
        (299, b'{"data": {}}', None),
        (300, b'{"data": {}}', "answered HTTP 300, a redirect"),
        (399, b'{"data": {}}', "answered HTTP 399, a redirect"),
        (400, b'{"data": {}}', "answered HTTP 400"),
        (499, ERRORS_BODY, "answered with errors: Not authorised"),
        (500, ERRORS_BODY, "answered HTTP 500"),
        (500, b"oops", "answered HTTP 500"),
        (599, b"<html>down</html>", "answered HTTP 599"),
    ],
    ids=["200", "299", "300", "399", "400", "499", "500", "500-not-json", "599"],
)
def test_the_status_decides_before_the_body_at_each_boundary(status, body, message):
    # given a peer answering with a status at the edge of a class
    with scripted_peer([fixed(status, body)]) as (url, _), peer_session() as session:
        # when
        try:
            answer = graphql_post(
                session=session, neighbour=_neighbour(url), query="{x}"
            )
        except SyncTransportError as error:
            answer = str(error)
    # then: 2xx is read, 3xx is a redirect, a 4xx may carry GraphQL errors, and a
    # 5xx is an outage whatever its body says
    assert answer == (f"{url}/graphql {message}" if message else {"data": {}})


THROTTLE_BODY = json.dumps({"errors": [{"message": "Request was throttled."}]})


@pytest.mark.parametrize(
    ("status", "retry_after", "message", "seconds"),
    [
        (429, "7", "answered HTTP 429, asking to wait 7s", 7.0),
        (503, "120", "answered HTTP 503, asking to wait 120s", 120.0),
        (429, None, "answered HTTP 429", None),
        (503, "later", "answered HTTP 503", None),
        (429, "86400", "answered HTTP 429, asking to wait 3600s", 3600.0),
    ],
    ids=["429-seconds", "503-seconds", "429-no-header", "503-unreadable", "capped"],
)
def test_a_throttling_peer_says_when_to_come_back(
    status, retry_after, message, seconds
):
    # given a peer answering "not now" (a hub's throttle with a GraphQL error)
    answer = fixed(status, THROTTLE_BODY.encode(), {"Retry-After": retry_after})
    with (
        scripted_peer([answer]) as (url, _),
        peer_session() as session,
        pytest.raises(SyncThrottled) as raised,
    ):
        # when
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then: the status decides, and the wait asked for travels with the error
    assert str(raised.value) == f"{url}/graphql {message}"
    assert raised.value.retry_after == seconds


def test_at_most_three_graphql_errors_are_quoted():
    # given four errors
    body = json.dumps({"errors": [{"message": f"e{n}"} for n in range(4)]})
    with (
        scripted_peer([fixed(200, body.encode())]) as (url, _),
        peer_session() as session,
        # when
        pytest.raises(SyncTransportError) as raised,
    ):
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then
    assert str(raised.value) == f"{url}/graphql answered with errors: e0; e1; e2"


def test_a_long_error_message_is_cut_at_500_characters():
    # given an error message far longer than the cut
    body = json.dumps({"errors": [{"message": "m" * 2000}]})
    with (
        scripted_peer([fixed(200, body.encode())]) as (url, _),
        peer_session() as session,
        # when
        pytest.raises(SyncTransportError) as raised,
    ):
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then
    start = f"{url}/graphql answered with errors: "
    assert str(raised.value) == start + "m" * (500 - len(start))


def _padded(size: int) -> bytes:
    return b'{"data": {}}'.ljust(size)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_an_answer_exactly_at_the_size_cap_is_read(settings, declared):
    # given an answer of exactly the cap, with or without its Content-Length
    settings.SYNC_MAX_RESPONSE_BYTES = 4096
    headers = {} if declared else {"Content-Length": None}
    with (
        scripted_peer([fixed(200, _padded(4096), headers)]) as (url, _),
        peer_session() as session,
    ):
        # when
        answer = graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then
    assert answer == {"data": {}}


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        # refused by its Content-Length, before the body is read
        (True, "response of 4097 bytes exceeds 4096"),
        # without one, cut off while the body is read
        (False, "response exceeds 4096 bytes"),
    ],
    ids=["declared", "undeclared"],
)
def test_an_answer_one_byte_over_the_cap_is_refused(settings, declared, message):
    # given an answer one byte over the cap, with or without its Content-Length
    settings.SYNC_MAX_RESPONSE_BYTES = 4096
    headers = {} if declared else {"Content-Length": None}
    with (
        scripted_peer([fixed(200, _padded(4097), headers)]) as (url, _),
        peer_session() as session,
        # when
        pytest.raises(SyncTransportError) as raised,
    ):
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then
    assert str(raised.value) == message


def test_a_deadline_already_passed_sends_nothing(settings):
    # given a caller whose deadline passed five seconds ago
    settings.SYNC_REQUEST_DEADLINE = 60
    with (
        scripted_peer([fixed(200, b'{"data": {}}')]) as (url, peer),
        peer_session() as session,
        # when
        pytest.raises(SyncDeadlinePassed) as raised,
    ):
        graphql_post(
            session=session,
            neighbour=_neighbour(url),
            query="{x}",
            deadline=time.monotonic() - 5,
        )
    # then the peer saw nothing, and the time given is none (not a negative one)
    assert peer.requests == []
    assert str(raised.value) == (
        f"timeout talking to {url}/graphql: no complete answer within 0s "
        "(the request deadline)"
    )


def test_an_invalid_json_answer_is_quoted_up_to_120_bytes():
    # given a peer answering 200 bytes that are not JSON
    body = b"<" + b"x" * 199
    with (
        scripted_peer([fixed(200, body)]) as (url, _),
        peer_session() as session,
        pytest.raises(SyncTransportError) as raised,
    ):
        # when
        graphql_post(session=session, neighbour=_neighbour(url), query="{x}")
    # then: the error quotes the first 120 bytes, no more
    assert str(raised.value) == (
        f"{url}/graphql answered HTTP 200 with invalid JSON: {body[:120]!r}"
    )
