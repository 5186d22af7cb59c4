"""Celery tasks of the federation: they take ids and call services."""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from federation.services.peer_http import (
    SyncDeadlinePassed,
    SyncEndpointRefused,
    SyncThrottled,
)
from federation.services.pokes import neighbour_poke
from federation.services.pruning import sync_history_prune
from federation.services.sync import (
    SyncLocked,
    SyncNotPulled,
    SyncTransportError,
    neighbour_sync,
    neighbours_sync_enqueue,
)
from hubs.retry_after import retry_countdown

logger = logging.getLogger(__name__)
SYNC_RETRY_BACKOFF = 2
SYNC_RETRY_BACKOFF_MAX = 300


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(SyncTransportError,),
    # A neighbour too slow for the deadline would hold the sync worker as long
    # again; the next scheduled sync tries it. A refused endpoint stays refused
    # until a coordinator fixes it.
    dont_autoretry_for=(SyncDeadlinePassed, SyncEndpointRefused),
    retry_backoff=SYNC_RETRY_BACKOFF,
    retry_backoff_max=SYNC_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=6,
)
def neighbour_sync_task(self, *, neighbour_id: int, trigger: str = "schedule") -> None:
    """Pull one neighbour's new changes. Idempotent: the cursor says where to go on.

    Transport errors retry with backoff; a neighbour that answered 429 or 503
    with Retry-After is asked again no sooner than it said. When another sync
    holds the lease, this one runs again after it: the running sync may already
    be past a change that prompted this one (a poke), and a dead worker's lease
    only expires.
    """
    try:
        neighbour_sync(neighbour_id=neighbour_id, trigger=trigger)
    except SyncThrottled as throttled:
        if throttled.retry_after is None:
            raise  # the usual back-off (autoretry_for)
        backoff = get_exponential_backoff_interval(
            factor=SYNC_RETRY_BACKOFF,
            retries=self.request.retries,
            maximum=SYNC_RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        countdown = retry_countdown(
            retry_after=throttled.retry_after,
            backoff=backoff,
            cap=SYNC_RETRY_BACKOFF_MAX,
        )
        logger.info("%s; trying again in %.0fs", throttled, countdown)
        raise self.retry(countdown=countdown, exc=throttled) from None
    except SyncLocked as locked:
        # Poll briefly rather than wait out the lease: a live sync renews it and
        # usually ends within a page or two.
        countdown = min(max(locked.retry_after, 0.5), 2.0)
        logger.info("%s; trying again in %.1fs", locked, countdown)
        raise self.retry(countdown=countdown, max_retries=200) from None
    except SyncNotPulled as skipped:
        logger.info("sync skipped: %s", skipped)


@shared_task(ignore_result=True)
def neighbours_sync_task() -> None:
    """Beat entry: enqueue one sync per neighbour this hub pulls from."""
    neighbours_sync_enqueue(trigger="schedule")


@shared_task(
    ignore_result=True,
    autoretry_for=(SyncTransportError,),
    dont_autoretry_for=(SyncEndpointRefused,),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=3,
)
def neighbour_poke_task(*, neighbour_id: int) -> None:
    """Ask a neighbour to pull from this hub now. Retried briefly: the interval
    sync catches up anyway if the neighbour stays unreachable."""
    neighbour_poke(neighbour_id=neighbour_id)


@shared_task(ignore_result=True)
def sync_history_prune_task() -> None:
    """Beat entry: drop old quarantined records and sync runs (bounded history)."""
    result = sync_history_prune()
    if result.total:
        logger.info("sync history pruned: %s", result)
