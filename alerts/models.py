"""What alerts store: saved searches by e-mail address, webhooks and their
deliveries. An address is stored to send to it, never shown: the admin sees
its hash and a masked form."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def email_hash(email: str) -> str:
    """The SHA-256 of the normalised address (what the admin may see)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def email_masked(email: str) -> str:
    """``j***@e***.org``: enough to tell two subscriptions apart, not to write."""
    local, _at, domain = email.partition("@")
    name, _dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{name[:1]}***.{tld}"


class Frequency(models.TextChoices):
    """How often a saved search's digest is sent."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearch(models.Model):
    """A search saved by an e-mail address; live once the address confirmed it
    (double opt-in). ``last_digest_at`` is where the next digest's window starts."""

    email = models.EmailField(max_length=254)
    email_hash = models.CharField(max_length=64, db_index=True)
    # The query string as /search/ takes it (without paging or order).
    query = models.TextField(max_length=4000)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash", "query", "frequency"], name="one_saved_search"
            )
        ]

    def __str__(self) -> str:
        return f"{email_masked(self.email)}: {self.query or '*'}"


def secret_new() -> str:
    """A fresh signing secret of a webhook."""
    return secrets.token_hex(32)


class Webhook(models.Model):
    """An outside system told of new and changed records matching ``query``;
    deliveries are signed with ``secret`` and the hook is disabled after
    repeated failure."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    query = models.TextField(
        max_length=4000,
        blank=True,
        help_text=_("A /search/ query string, e.g. kinds=dataset&nuts=NL41."),
    )
    secret = models.CharField(
        max_length=128,
        default=secret_new,
        help_text=_("Deliveries carry an HMAC-SHA256 signature made with it."),
    )
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One attempt to deliver one batch to a webhook, and how it ended."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=64, db_index=True)
    attempt = models.PositiveIntegerField()
    record_ids = models.JSONField(default=list)
    # The signed body, kept so a retry sends the same bytes' content.
    payload = models.JSONField(default=dict)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.webhook} #{self.attempt} {self.status_code or self.error}"
