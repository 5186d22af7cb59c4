"""One fill run per hub at a time: a lease on the ``EmbeddingState`` row (a
killed worker's lease expires), and what the last run did."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator

from django.db import IntegrityError
from django.db.models import F, Q
from django.utils import timezone

from search.models import EmbeddingState

LEASE_SECONDS = 300


def fill_state() -> EmbeddingState:
    """The state row (created on first use)."""
    try:
        return EmbeddingState.objects.get_or_create(pk=1)[0]
    except IntegrityError:  # created concurrently
        return EmbeddingState.objects.get(pk=1)


@contextlib.contextmanager
def fill_lease() -> Iterator[bool]:
    """Hold the lease for the block; yields False when another run holds it."""
    fill_state()
    owner = f"{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    taken = (
        EmbeddingState.objects.filter(pk=1)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            lease_owner=owner, lease_until=now + dt.timedelta(seconds=LEASE_SECONDS)
        )
    )
    try:
        yield taken == 1
    finally:
        if taken:
            EmbeddingState.objects.filter(pk=1, lease_owner=owner).update(
                lease_owner="", lease_until=None
            )


def fill_record(*, embedded: int, error: str) -> None:
    """Note a run: vectors written, or the reason it wrote none."""
    fill_state()
    now = timezone.now()
    changes: dict[str, object] = {
        "last_run_at": now,
        "embedded_total": F("embedded_total") + embedded,
    }
    if error:
        changes.update(last_error=error[:2000], last_error_at=now)
    else:
        changes["last_error"] = ""
    EmbeddingState.objects.filter(pk=1).update(**changes)
