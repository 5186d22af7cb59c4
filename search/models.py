"""Indexing bookkeeping: how far this hub's change sequence is in the shared index.

There is no separate outbox table: every catalogue change already takes a new value
of the change sequence in its own transaction (``federation.models.StoredRecord.
seq``), so the sequence *is* the outbox, written atomically with the change. The
watermark says up to which sequence value everything has been written to the index.

A change the engine refuses for good is retried a few times, then kept as a
``DeadLetter`` so the drain can move past it (see ``search.dead_letters``).
"""

from django.db import models


class IndexWatermark(models.Model):
    """The indexing position of this hub (one row, pk 1).

    ``indexed_seq`` only moves forward, and only after the engine accepted every
    change up to it. A drain holds a lease (owner, expiry) rather than a database
    lock, so a killed worker's lease simply expires.
    """

    indexed_seq = models.BigIntegerField(default=0)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_drain_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The first sequence value the engine refused on the last drain (None: none).
    failing_seq = models.BigIntegerField(null=True, blank=True)
    # How many drains the engine refused ``failing_seq`` for a reason of the
    # record's own (transient refusals do not count), and since when it fails.
    failing_attempts = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"indexed up to {self.indexed_seq}"


class DeadLetter(models.Model):
    """A record the engine refused for good: the drain moved past it after
    ``SEARCH_DRAIN_MAX_ATTEMPTS`` attempts. One row per record; a later version
    that fails too updates the row, one the engine accepts removes it."""

    record_id = models.CharField(max_length=200, unique=True)
    seq = models.BigIntegerField()
    version = models.BigIntegerField()
    # The engine's HTTP status for the refused item and its reason.
    status = models.PositiveSmallIntegerField()
    reason = models.TextField()
    attempts = models.PositiveIntegerField()
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_failed_at", "record_id"]
        permissions = [
            ("redrive_deadletter", "Can see and re-drive search dead letters")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version}: {self.status} {self.reason[:80]}"


class EmbeddingCache(models.Model):
    """A sentence vector by (model, text hash): an unchanged text is never
    embedded twice by this hub, whatever happens to the index (a rebuild, a new
    record version that kept its text)."""

    model_id = models.CharField(max_length=200)
    text_hash = models.CharField(max_length=64)
    # float32 little-endian bytes, normalised.
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_id", "text_hash"], name="embedding_cache_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.text_hash}"


class PhraseVocabulary(models.Model):
    """The catalogue's phrases and their vectors for one model
    (``search.embeddings.phrases``): rebuilt whole, read whole by each process."""

    model_id = models.CharField(max_length=200, unique=True)
    language = models.CharField(max_length=8)
    phrases = models.JSONField(default=list)
    # float16 little-endian rows, normalised, in the order of ``phrases``.
    vectors = models.BinaryField()
    built_at = models.DateTimeField()
    # Every phrase has its vector (a build that ran out of time is not).
    complete = models.BooleanField(default=False)
    # Live records of the language in the index when it was built.
    records = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{len(self.phrases)} phrases of {self.model_id}"


class EmbeddingState(models.Model):
    """The vector fill step of this hub (one row, pk 1): its lease, like the
    index drain's, and what it last did, for ``hubnet search status``."""

    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    embedded_total = models.BigIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"embedded {self.embedded_total}"
