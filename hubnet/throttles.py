"""Throttles of every REST API of the hub (records, search, algorithm register):
DRF's anonymous and user rate throttles, set as the default in
``REST_FRAMEWORK``, with rates read from settings when a request comes in
(``API_THROTTLE_ANON`` and ``API_THROTTLE_USER`` through ``hubnet.env``), not
frozen at import."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonApiThrottle(AnonRateThrottle):
    """Requests without a user, counted per client address."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserApiThrottle(UserRateThrottle):
    """Requests of a logged-in user, counted per user."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
