"""Production settings: refuse unsafe configuration instead of running with it."""

from hubnet.env import ConfigError, env
from hubnet.settings.base import *  # noqa: F403
from hubnet.settings.base import DEBUG, SECRET_KEY

if DEBUG:
    raise ConfigError("DEBUG must be off in production (unset DEBUG or set DEBUG=0)")
if (
    "insecure" in SECRET_KEY
    or "change-me" in SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ConfigError(
        "SECRET_KEY must be set to a random value of at least 50 characters in "
        "production"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
# /healthz is probed over plain HTTP inside the deployment network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Tokens travel to neighbours: only over TLS, unless explicitly turned off.
NEIGHBOUR_REQUIRE_HTTPS = env.bool("NEIGHBOUR_REQUIRE_HTTPS", True)
