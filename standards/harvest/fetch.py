"""Fetching a page of a harvest source: bounded in time and size, of an expected
content type, and never inside the hub's network.

The URL and every redirect target are checked (``hubs.endpoints``: every
address the host resolves to must be public) unless the host is in
``HARVEST_ALLOW_HOSTS``; redirects are followed by hand, at most five.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings

from hubs.endpoints import EndpointRefused, IPAddress, endpoint_host_resolve
from hubs.retry_after import retry_after_seconds

READ_PIECE_BYTES = 64 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "hubnet-harvester/1"


class HarvestFetchError(Exception):
    """A page could not be had; the message says why."""


class HarvestTransient(HarvestFetchError):
    """A failure that may pass (timeout, refused connection, HTTP 5xx or 429);
    ``retry_after``: the seconds a 429 or 503 asked to wait, if it said."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Fetched:
    """A page's body, its final URL and its media type (lower case, no
    parameters)."""

    url: str
    media_type: str
    body: bytes


def url_check(url: str) -> None:
    """Raise ``HarvestFetchError`` unless this hub may fetch ``url``: http(s), no
    credentials, and a public host unless allow-listed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise HarvestFetchError(f"not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise HarvestFetchError(f"{url[:200]}: only http(s) URLs are harvested")
    if "@" in parts.netloc or not parts.hostname:
        raise HarvestFetchError(f"{url[:200]}: a URL must name a host, no user")
    host = parts.hostname
    if host in settings.HARVEST_ALLOW_HOSTS:
        return
    try:
        addresses = endpoint_host_resolve(
            host, port or (443 if parts.scheme == "https" else 80)
        )
        for address in addresses:
            problem = _address_problem(address)
            if problem:
                raise HarvestFetchError(
                    f"{url[:200]}: {host} is {problem}, refused (allow it in "
                    "HARVEST_ALLOW_HOSTS)"
                )
    except EndpointRefused as refused:
        raise HarvestFetchError(f"{url[:200]}: {refused}") from None


def _address_problem(address: str) -> str | None:
    # The neighbours' switch for private addresses does not open harvesting:
    # only the harvest allow-list does.
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if not ip.is_global or ip.is_multicast:
        return "a private or non-public address"
    return None


def page_fetch(
    *, url: str, accept: str, media_types: tuple[str, ...], deadline: float
) -> Fetched:
    """GET ``url`` (following checked redirects) and return its body when it is
    of one of ``media_types``, at most ``HARVEST_MAX_PAGE_BYTES``, complete
    before ``deadline`` (time.monotonic()) and the request timeout."""
    ends = min(deadline, time.monotonic() + settings.HARVEST_REQUEST_TIMEOUT)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        url_check(current)
        try:
            with requests.get(
                current,
                headers={"Accept": accept, "User-Agent": USER_AGENT},
                timeout=(
                    min(5.0, settings.HARVEST_REQUEST_TIMEOUT),
                    max(ends - time.monotonic(), 0.1),
                ),
                stream=True,
                allow_redirects=False,
            ) as response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    current = urljoin(current, location)
                    continue
                _status_check(
                    current, response.status_code, response.headers.get("Retry-After")
                )
                media_type = (
                    response.headers.get("Content-Type", "")
                    .split(";")[0]
                    .strip()
                    .lower()
                )
                if media_type not in media_types:
                    raise HarvestFetchError(
                        f"{current[:200]}: content type {media_type or 'none'!r}, "
                        f"expected {', '.join(media_types)}"
                    )
                body = _body_read(current, response, ends=ends)
                return Fetched(current, media_type, body)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
            raise HarvestTransient(f"{current[:200]}: {error}"[:500]) from None
    raise HarvestFetchError(f"{url[:200]}: more than {MAX_REDIRECTS} redirects")


def _status_check(url: str, status: int, retry_after: str | None) -> None:
    if status >= 500 or status == 429:
        wait = retry_after_seconds(retry_after) if status in (429, 503) else None
        asked = "" if wait is None else f", asking to wait {wait:.0f}s"
        raise HarvestTransient(f"{url[:200]}: HTTP {status}{asked}", retry_after=wait)
    if status >= 400:
        raise HarvestFetchError(f"{url[:200]}: HTTP {status}")


def _body_read(url: str, response: requests.Response, *, ends: float) -> bytes:
    limit = settings.HARVEST_MAX_PAGE_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HarvestFetchError(f"{url[:200]}: {declared} bytes, over the {limit} cap")
    pieces: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= ends:
            raise HarvestTransient(f"{url[:200]}: too slow, no complete page in time")
        piece = response.raw.read1(READ_PIECE_BYTES)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limit:
            raise HarvestFetchError(f"{url[:200]}: over the {limit} bytes cap")
        pieces.append(piece)
