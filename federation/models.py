"""The catalogue store: every record this hub holds, own and federated, in
change-sequence order; and the bookkeeping of syncing with each neighbour."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hubs.models import Neighbour


class ChangeSequence(models.Model):
    """This hub's change counter (one row).

    Writers lock the row for the rest of their transaction, so sequence values are
    handed out and committed in the same order: a reader never skips a change.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"sequence at {self.value}"


class StoredRecord(models.Model):
    """One record (its newest version) as this hub holds it."""

    record_id = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, db_index=True)
    origin = models.CharField(max_length=50, db_index=True)
    origin_path = models.JSONField()
    origin_level = models.CharField(max_length=10, blank=True)
    version = models.BigIntegerField()
    updated_at = models.DateTimeField()
    deleted = models.BooleanField(default=False)
    language = models.CharField(max_length=2, default="en")
    url = models.URLField(max_length=500, blank=True)
    schema_version = models.PositiveIntegerField(default=1)
    body = models.JSONField(null=True)
    # Searchable copies of body fields used by filters; derived on write.
    title = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64)
    # The origin's signature of this version and its key id, forwarded as
    # received; ``verified`` when this hub checked it against a pinned key.
    signature = models.CharField(max_length=100, blank=True)
    key_id = models.CharField(max_length=32, blank=True)
    verified = models.BooleanField(default=False)
    # The change sequence value of the last change; the feed is ordered by it.
    seq = models.BigIntegerField(unique=True)
    received_from = models.CharField(max_length=50, blank=True)
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["kind", "seq"], name="record_kind_seq"),
            models.Index(fields=["updated_at"], name="record_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version}{' (deleted)' if self.deleted else ''}"

    @property
    def is_own(self) -> bool:
        return not self.received_from


class SyncState(models.Model):
    """Where this hub stands in a neighbour's change feed."""

    neighbour = models.OneToOneField(
        Neighbour, on_delete=models.CASCADE, related_name="sync_state"
    )
    cursor = models.CharField(max_length=200, blank=True)
    # The neighbour's newest sequence value seen on the last page; lag = latest - ours.
    remote_latest_seq = models.BigIntegerField(default=0)
    local_position_seq = models.BigIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # A lease, not a lock held by a connection: survives a killed worker by expiring.
    lock_owner = models.CharField(max_length=100, blank=True)
    lock_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sync state of {self.neighbour.slug}"


class SyncRun(models.Model):
    """One sync of one neighbour: what it fetched and did, or why it failed."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        ERROR = "error", _("Error")
        SKIPPED = "skipped", _("Skipped (locked)")

    neighbour = models.ForeignKey(
        Neighbour, on_delete=models.CASCADE, related_name="sync_runs"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    pages = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    stale = models.PositiveIntegerField(default=0)
    own = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=20, default="schedule")
    # The neighbour's latest sequence was below our cursor (restored from a
    # backup), so this run started over from the beginning of its feed.
    resynced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["neighbour", "-started_at"], name="syncrun_recent")
        ]

    def __str__(self) -> str:
        started = f"{self.started_at:%Y-%m-%d %H:%M:%S}"
        return f"sync {self.neighbour.slug} {started} {self.outcome}"


class QuarantinedRecord(models.Model):
    """A record a neighbour sent that failed validation, kept with the reason."""

    neighbour = models.ForeignKey(
        Neighbour, on_delete=models.CASCADE, related_name="quarantined_records"
    )
    record_id = models.CharField(max_length=200, blank=True)
    version = models.BigIntegerField(null=True, blank=True)
    payload_hash = models.CharField(max_length=64)
    payload = models.TextField(help_text="The record as received (truncated)")
    reason = models.TextField()
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    times_seen = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour", "payload_hash"], name="quarantine_once_per_payload"
            )
        ]

    def __str__(self) -> str:
        label = self.record_id or "(no id)"
        return f"{label} from {self.neighbour.slug}: {self.reason[:60]}"


class PokeState(models.Model):
    """Whether a poke of a neighbour is queued and not yet sent.

    Claimed with a conditional update before a poke task is queued, cleared by the
    task before it calls the neighbour: a burst of changes queues one poke, and a
    change after the clear queues the next. The claim expires, so a lost message
    cannot silence the neighbour for good.
    """

    neighbour = models.OneToOneField(
        Neighbour, on_delete=models.CASCADE, related_name="poke_state"
    )
    pending_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"poke state of {self.neighbour.slug}"
