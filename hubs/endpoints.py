"""Which neighbour endpoints this hub may talk to.

A neighbour's endpoint is typed in by a coordinator or loaded from a file, and
this hub then sends it requests carrying a token: an endpoint pointing inside
the hub's own network (a database, a cloud metadata service) would turn the
sync client into a probe. So an endpoint is a plain base URL (no user name,
password, query or fragment), https when ``NEIGHBOUR_REQUIRE_HTTPS`` is on, and
every address its host resolves to must be public unless
``NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES`` allows private ones (a demo, a private
deployment network). It is checked when a neighbour is saved and again before
each request, since DNS answers change.
"""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Name resolution has no timeout of its own: it runs here, bounded by a wait.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="endpoint-dns")


class EndpointRefused(ValueError):
    """A neighbour endpoint this hub must not talk to; the message says why."""


ALLOW_HINT = "allowed only with NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES=1"


def endpoint_address_problem(address: str) -> str | None:
    """What kind of address IP ``address`` is when this hub must not connect to
    it ("a loopback address"; None when it may): loopback, private, link-local,
    shared, reserved, multicast or unspecified, unless
    ``NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES`` is on."""
    if settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES:
        return None
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, test in (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
        ("a non-public", not ip.is_global),
    ):
        if test:
            return f"{kind} address"
    return None


def endpoint_url_check(url: str) -> None:
    """Raise ``EndpointRefused`` unless this hub may send requests to ``url``:
    its form first, then every address its host resolves to."""
    host, port = endpoint_url_form_check(url)
    if settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES:
        return
    for address in endpoint_host_resolve(host, port):
        if problem := endpoint_address_problem(address):
            where = (
                f"{address} is" if address == host else f"{host} resolves to {address},"
            )
            raise EndpointRefused(f"{where} {problem} ({ALLOW_HINT})")


def endpoint_url_form_check(url: str) -> tuple[str, int]:
    """The host and port of endpoint ``url``; ``EndpointRefused`` for a URL that
    is no plain http(s) base URL, or not https where that is required."""
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise EndpointRefused("the URL must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise EndpointRefused(f"not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise EndpointRefused("the URL must start with https:// (or http://)")
    if parts.scheme != "https" and settings.NEIGHBOUR_REQUIRE_HTTPS:
        raise EndpointRefused(
            "the URL must use https:// (NEIGHBOUR_REQUIRE_HTTPS is on)"
        )
    if "@" in parts.netloc:
        raise EndpointRefused("the URL must not contain a user name or password")
    if "?" in url:
        raise EndpointRefused("the URL must not contain a query (?...)")
    if "#" in url:
        raise EndpointRefused("the URL must not contain a fragment (#...)")
    if not parts.hostname:
        raise EndpointRefused("the URL must name a host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def endpoint_host_resolve(host: str, port: int) -> list[str]:
    """Every IP address ``host`` resolves to (itself when it is one), within
    ``SYNC_CONNECT_TIMEOUT`` seconds; ``EndpointRefused`` when it resolves to
    none."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [host]
    future = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        answers = future.result(timeout=settings.SYNC_CONNECT_TIMEOUT)
    except FutureTimeout:
        raise EndpointRefused(f"resolving {host} took too long") from None
    except (OSError, UnicodeError) as error:
        raise EndpointRefused(f"cannot resolve {host}: {error}") from None
    addresses = sorted({str(answer[4][0]) for answer in answers})
    if not addresses:
        raise EndpointRefused(f"{host} resolves to no address")
    return addresses
