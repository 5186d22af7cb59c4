"""Rate limits of every public surface of the hub, on DRF's throttle classes and
their cache counting (one mechanism, one set of rates).

- The REST APIs: DRF's anonymous and user throttles (``REST_FRAMEWORK``'s
  defaults), plus ``ScopedApiThrottle`` for views with a ``throttle_scope``
  (the search exports share the ``export`` scope with ``/catalog``).
- ``/graphql``, the ``/search/`` pages, ``/catalog*``, ``/healthz`` and failed
  logins: the throttles below, applied by ``hubnet.middleware.ThrottleMiddleware``.

Rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (read from the
environment through ``hubnet.env``) and are read when a request comes in, not
frozen at import; a scope without a rate is not limited. The client address is
DRF's ``get_ident``: with ``NUM_PROXIES`` = 0 the socket's address, so a forged
``X-Forwarded-For`` is ignored; with N proxies in front, the address the
outermost of them saw.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from hubnet.health import health_token_valid


def _rate(scope: str | None) -> str | None:
    return api_settings.DEFAULT_THROTTLE_RATES.get(scope) if scope else None


class AnonApiThrottle(AnonRateThrottle):
    """REST API requests without a user, counted per client address."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserApiThrottle(UserRateThrottle):
    """REST API requests of a logged-in user, counted per user."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)


class ScopedApiThrottle(ScopedRateThrottle):
    """REST API views naming a ``throttle_scope`` (the exports) get that scope's
    rate as well, per user or client address."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)


class HubRateThrottle(SimpleRateThrottle):
    """A throttle of a plain Django view: counted per signed-in user, else per
    client address, at the rate of ``scope``."""

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def ident(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user-{user.pk}"
        return self.get_ident(request)

    def get_cache_key(self, request: HttpRequest, view: Any) -> str | None:  # noqa: ARG002  DRF throttle / Django signal signature
        return self.cache_format % {"scope": self.scope, "ident": self.ident(request)}


class PagesThrottle(HubRateThrottle):
    """The search pages (``/search/``): each runs engine queries."""

    scope = "pages"


class ExportThrottle(HubRateThrottle):
    """The DCAT catalogue (``/catalog*``): a page of up to a thousand records,
    serialised to RDF, costs far more than an API call."""

    scope = "export"


class GraphqlThrottle(HubRateThrottle):
    """``/graphql`` without a valid peer token, per client address (GraphQL
    never reads the session, nor does its throttle)."""

    scope = "graphql"

    def ident(self, request: HttpRequest) -> str:
        return self.get_ident(request)


class GraphqlPeerThrottle(HubRateThrottle):
    """``/graphql`` with a neighbour's valid token, counted per neighbour: hubs
    on one address (a demo machine, a NAT) never share a count, and a sync's
    pages never compete with anonymous clients."""

    scope = "graphql_peer"

    def __init__(self, *, neighbour_id: int) -> None:
        super().__init__()
        self.neighbour_id = neighbour_id

    def ident(self, request: HttpRequest) -> str:  # noqa: ARG002  DRF throttle / Django signal signature
        return f"neighbour-{self.neighbour_id}"


class HealthThrottle(HubRateThrottle):
    """``/healthz``, per client address (it never reads the session: the database
    may be the part that is down). Monitoring holding ``HEALTH_TOKEN`` and probes
    from ``HEALTH_THROTTLE_EXEMPT`` (loopback: the supervisor, compose's
    healthcheck) are never limited."""

    scope = "health"

    def get_cache_key(self, request: HttpRequest, view: Any) -> str | None:  # noqa: ARG002  DRF throttle / Django signal signature
        if health_token_valid(authorization=request.headers.get("Authorization")):
            return None
        ident = self.get_ident(request)
        if address_exempt(ident, settings.HEALTH_THROTTLE_EXEMPT):
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginFailureThrottle(HubRateThrottle):
    """Failed sign-ins (admin login forms, HTTP basic authentication) per client
    address: past the rate, every sign-in from that address is refused until the
    oldest failure leaves the window. Successful sign-ins are not counted."""

    scope = "admin_login"

    def ident(self, request: HttpRequest) -> str:
        return self.get_ident(request)

    def wait_needed(self, request: HttpRequest) -> float | None:
        """Seconds until this address may try again; None when it may now."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, None)
        self.history = self._history()
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def failure_record(self, request: HttpRequest) -> None:
        """Count one failed sign-in of this address."""
        if self.rate is None:
            return
        self.key = self.get_cache_key(request, None)
        self.history = self._history()
        self.throttle_success()  # records the attempt in DRF's history

    def _history(self) -> list[float]:
        history = self.cache.get(self.key, [])
        self.now = self.timer()
        while history and history[-1] <= self.now - self.duration:
            history.pop()
        return history


def login_failure_record(
    sender: Any,  # noqa: ARG001  Django signal receiver
    credentials: Any = None,  # noqa: ARG001  Django signal receiver
    request: Any = None,
    **kwargs: Any,
) -> None:
    """``user_login_failed`` receiver: count the failure against the address."""
    if request is not None:
        LoginFailureThrottle().failure_record(request)


def address_exempt(ident: str, networks: list[str] | tuple[str, ...]) -> bool:
    """Whether the client address ``ident`` lies in one of ``networks``."""
    try:
        address = ipaddress.ip_address(ident.strip())
    except ValueError:
        return False
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False
