"""Request limits and the REST API: the throttle rates of every surface, who is
never throttled, the proxies in front of the hub, and DRF's configuration.
Read by ``hubnet.settings.base``."""

import ipaddress

from hubnet.env import ConfigError, env

# The REST API's throttles (hubnet.throttles): requests per client address
# without a user, and per user; "<number>/<second|minute|hour|day>".
_RATE = r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)"
API_THROTTLE_ANON = env.matching(
    "API_THROTTLE_ANON", _RATE, "120/minute", what="a rate like 120/minute"
)
API_THROTTLE_USER = env.matching(
    "API_THROTTLE_USER", _RATE, "600/minute", what="a rate like 600/minute"
)
# The other surfaces (hubnet.middleware): /graphql without a peer token, with
# one (per neighbour, generous: syncs page through it), the /search/ pages, the
# exports (/catalog*, the search exports), /healthz, failed sign-ins.
GRAPHQL_THROTTLE = env.matching(
    "GRAPHQL_THROTTLE", _RATE, "120/minute", what="a rate like 120/minute"
)
GRAPHQL_THROTTLE_PEER = env.matching(
    "GRAPHQL_THROTTLE_PEER", _RATE, "3000/minute", what="a rate like 3000/minute"
)
PAGES_THROTTLE = env.matching(
    "PAGES_THROTTLE", _RATE, "120/minute", what="a rate like 120/minute"
)
EXPORT_THROTTLE = env.matching(
    "EXPORT_THROTTLE", _RATE, "30/minute", what="a rate like 30/minute"
)
HEALTH_THROTTLE = env.matching(
    "HEALTH_THROTTLE", _RATE, "60/minute", what="a rate like 60/minute"
)
# Client networks whose /healthz probes are never throttled (the supervisor,
# container health checks).
HEALTH_THROTTLE_EXEMPT = env.list("HEALTH_THROTTLE_EXEMPT", ["127.0.0.0/8", "::1/128"])
for _network in HEALTH_THROTTLE_EXEMPT:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigError(
            f"HEALTH_THROTTLE_EXEMPT must list networks like 127.0.0.0/8, "
            f"got {_network!r}"
        ) from None
ADMIN_LOGIN_THROTTLE = env.matching(
    "ADMIN_LOGIN_THROTTLE", _RATE, "20/hour", what="a rate like 20/hour"
)
# Proxies in front of the hub that append to X-Forwarded-For: the client is the
# address the outermost one saw. 0: the socket's address (the header is ignored).
NUM_PROXIES = env.int("NUM_PROXIES", 0, minimum=0, maximum=10)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "hubnet.throttles.AnonApiThrottle",
        "hubnet.throttles.UserApiThrottle",
        "hubnet.throttles.ScopedApiThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_THROTTLE_ANON,
        "user": API_THROTTLE_USER,
        "graphql": GRAPHQL_THROTTLE,
        "graphql_peer": GRAPHQL_THROTTLE_PEER,
        "pages": PAGES_THROTTLE,
        "export": EXPORT_THROTTLE,
        "health": HEALTH_THROTTLE,
        "admin_login": ADMIN_LOGIN_THROTTLE,
    },
    "NUM_PROXIES": NUM_PROXIES,
    # `?format=` is not part of the documented API; an unknown value made DRF
    # answer 404 (found by schemathesis).
    "URL_FORMAT_OVERRIDE": None,
}
