"""Celery tasks of the alerts: they take ids, call one service, hold no logic."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils import timezone

from alerts.services.digests import digests_due, saved_search_digest_send
from alerts.services.subscriptions import confirmation_send
from alerts.services.webhooks import webhook_deliver, webhooks_check
from search.engine import SearchUnavailable

# A mail server or the engine may be back on the next try; a bad address is not.
RETRYABLE = (
    SearchUnavailable,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPConnectError,
)


@shared_task(
    ignore_result=True,
    autoretry_for=RETRYABLE,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def confirmation_send_task(*, saved_search_id: int) -> None:
    """Mail a saved search's confirmation link. Idempotent enough: a repeat
    sends the same link again, and nothing once confirmed."""
    confirmation_send(saved_search_id=saved_search_id)


@shared_task(
    ignore_result=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def saved_search_digest_task(*, saved_search_id: int) -> None:
    """Mail one saved search's digest if due. Idempotent (the window is claimed)."""
    saved_search_digest_send(saved_search_id=saved_search_id)


@shared_task(ignore_result=True)
def digests_due_enqueue_task() -> None:
    """Beat: send a digest task for every saved search that is due."""
    for saved_search_id in digests_due(now=timezone.now()):
        saved_search_digest_task.delay(saved_search_id=saved_search_id)


@shared_task(ignore_result=True)
def webhooks_check_task() -> None:
    """Beat: queue a delivery of the new matches of every active webhook."""
    for delivery_id in webhooks_check():
        webhook_deliver_task.delay(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_deliver_task(*, delivery_id: int) -> None:
    """Post one recorded delivery; a failure queues the next attempt (its own
    record) after the back-off. Idempotent: a finished delivery is not sent."""
    retry = webhook_deliver(delivery_id=delivery_id)
    if retry is not None:
        webhook_deliver_task.apply_async(
            kwargs={"delivery_id": retry.delivery_id}, countdown=retry.delay_seconds
        )
