"""Settings of discovery (CORS), mail and the alerts (saved searches, webhooks)."""

from hubnet.env import ConfigError, env

# CORS: any origin may read the public, read-only data (the REST API, the DCAT
# catalogue and record files, the feeds); nothing else, no credentials.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = (
    r"^/(api/|catalog(\.(ttl|jsonld|rdf))?$"
    r"|records/[^/]+\.(ttl|jsonld|rdf)$|search/feed/)"
)
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# Mail (saved-search confirmations and digests) through an SMTP server; unset
# EMAIL_HOST prints mail to the log instead (warning alerts.W001 at deploy).
EMAIL_HOST = env.str("EMAIL_HOST", "")
EMAIL_PORT = env.int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "hubnet <noreply@localhost>")
# Alerts: how often beat looks for due digests and new matches for webhooks;
# a webhook is disabled after this many failed deliveries in a row.
ALERTS_CHECK_INTERVAL = env.int("ALERTS_CHECK_INTERVAL", 600, minimum=10, maximum=86400)
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", 10, minimum=1, maximum=60)
WEBHOOK_MAX_FAILURES = env.int("WEBHOOK_MAX_FAILURES", 5, minimum=1, maximum=100)
# A failed delivery is tried again after this many seconds, doubling each time.
WEBHOOK_RETRY_DELAY = env.int("WEBHOOK_RETRY_DELAY", 30, minimum=1, maximum=3600)
