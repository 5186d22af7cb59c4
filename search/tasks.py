"""Celery tasks of the search app: they call services and hold no logic."""

import logging

from celery import shared_task

from search.embeddings.fill import RUN_SECONDS, embeddings_fill
from search.embeddings.phrases import phrase_vocabulary_refresh
from search.engine import SearchUnavailable
from search.indexing import index_drain

logger = logging.getLogger(__name__)


@shared_task(
    ignore_result=True,
    autoretry_for=(SearchUnavailable,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def index_drain_task() -> None:
    """Drain this hub's change sequence into the shared index. Idempotent.

    While the engine is down the changes stay in the outbox (the watermark does not
    move); the task retries with backoff and beat keeps scheduling drains, so the
    index catches up as soon as the engine answers again.
    """
    result = index_drain()
    if result.dead_lettered:
        logger.error(
            "index drain: %s change(s) refused for good moved to the dead letters "
            "(`hubnet search status`)",
            result.dead_lettered,
        )
    if result.failed:
        logger.error(
            "index drain: %s change(s) refused; watermark kept at %s",
            result.failed,
            result.watermark,
        )
    elif result.pages:
        logger.info(
            "index drain: %s written, %s stale, watermark %s, backlog %s",
            result.written,
            result.stale,
            result.watermark,
            result.backlog,
        )


@shared_task(ignore_result=True)
def embeddings_fill_task() -> None:
    """Add sentence vectors to the shared index (``search.embeddings.fill``).
    Idempotent; no retry: beat runs it again, and a run that failed for the
    encoder left every record searchable lexically."""
    result = embeddings_fill()
    if result.exhausted:
        # The index holds every vector it can: the phrases' turn.
        built = phrase_vocabulary_refresh(seconds=RUN_SECONDS)
        if built is not None:
            logger.info(
                "phrase vocabulary: %s phrases (%s encoded), %s",
                built.phrases,
                built.encoded,
                "complete" if built.complete else "to be continued",
            )
    if result.written or result.failed:
        logger.info(
            "vector fill: %s written (%s encoded, %s cached), %s stale, %s failed",
            result.written,
            result.encoded,
            result.cached,
            result.stale,
            result.failed,
        )
