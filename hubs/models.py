"""The hub's neighbours and the liveness of its workers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeighbourRole(models.TextChoices):
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    PEER = "peer", _("Peer")


class Neighbour(models.Model):
    """Another hub this hub exchanges records with.

    The outbound token authenticates this hub at the neighbour and is never shown;
    the inbound token the neighbour presents here is stored only as a SHA-256 hash.
    """

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=NeighbourRole.choices)
    endpoint_url = models.URLField(
        max_length=500,
        help_text="Base URL of the neighbour hub, e.g. https://nl.hub.eu",
    )
    outbound_token = models.CharField(max_length=200, blank=True, editable=False)
    inbound_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    inbound_token_hint = models.CharField(
        max_length=8, editable=False, help_text="First characters, to recognise a token"
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "slug"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    def __repr__(self) -> str:
        # Never let a token leak into logs through repr().
        return f"<Neighbour {self.slug} role={self.role}>"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker of this hub executed the heartbeat task."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class HubKey(models.Model):
    """A signing key of a hub: this hub's own keys and the keys of other origins,
    pinned on first sight and replaced only by a rotation signed with the old key.

    ``statements`` are the signed statements that introduced (and revoked) the
    key, forwarded as received so hubs further up can check them themselves.
    """

    origin = models.CharField(max_length=50, db_index=True)
    key_id = models.CharField(max_length=32)
    public_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(auto_now_add=True)
    # When the origin replaced this key: its records signed later are refused.
    rotated_at = models.DateTimeField(null=True, blank=True)
    # When the origin revoked this key: its records arriving later are refused.
    revoked_at = models.DateTimeField(null=True, blank=True)
    statements = models.JSONField(default=list)

    class Meta:
        ordering = ["origin", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "key_id"], name="hubkey_once")
        ]

    def __str__(self) -> str:
        return f"{self.origin} key {self.key_id}"
