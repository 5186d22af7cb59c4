"""Celery tasks of the standards app: they take ids and call services."""

import logging
import os
from functools import partial

from celery import shared_task
from django.db import transaction

from hubs.retry_after import retry_countdown
from standards.harvest.fetch import HarvestTransient
from standards.harvest.services import (
    harvest_run,
    harvest_run_abandon,
    harvest_sources_due,
)

logger = logging.getLogger(__name__)
MAX_RETRIES = 5
RETRY_BACKOFF = 5  # seconds before the first retry, doubling
RETRY_BACKOFF_MAX = 600


@shared_task(bind=True, ignore_result=True, max_retries=MAX_RETRIES)
def harvest_run_task(
    self, *, source_id: int, full: bool = False, scheduled: bool = False
) -> None:
    """Run one harvest source (resuming its open run). Only transient failures
    (timeouts, HTTP 5xx, 429) are retried, with backoff and no sooner than a
    Retry-After asks; the lease keeps a second worker off the source meanwhile."""
    owner = f"{self.request.hostname or 'local'}:{os.getpid()}:{self.request.id}"
    try:
        run = harvest_run(
            source_id=source_id, owner=owner, full=full, only_if_due=scheduled
        )
    except HarvestTransient as error:
        if self.request.retries >= MAX_RETRIES:
            harvest_run_abandon(
                source_id=source_id, reason=f"gave up after retries: {error}"
            )
            return
        countdown = retry_countdown(
            retry_after=error.retry_after,
            backoff=RETRY_BACKOFF * 2**self.request.retries,
            cap=RETRY_BACKOFF_MAX,
        )
        raise self.retry(countdown=countdown, exc=error) from None
    if run is None:
        logger.info("harvest of source %s not run: busy or not due", source_id)


@shared_task(ignore_result=True)
def harvest_due_task() -> None:
    """Beat entry: enqueue a run of every source that is due or whose worker
    died (its lease expired)."""
    for source_id in harvest_sources_due():
        transaction.on_commit(
            partial(harvest_run_task.delay, source_id=source_id, scheduled=True)
        )
