"""Indexing bookkeeping: how far this hub's change sequence is in the shared index.

There is no separate outbox table: every catalogue change already takes a new value
of the change sequence in its own transaction (``federation.models.StoredRecord.
seq``), so the sequence *is* the outbox, written atomically with the change. The
watermark says up to which sequence value everything has been written to the index.
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

    def __str__(self) -> str:
        return f"indexed up to {self.indexed_seq}"
