"""Webhooks: new and changed records matching a webhook's filter are posted to
its URL as signed JSON. Each attempt is a recorded ``WebhookDelivery``; a
failed one is retried with exponential back-off, and after
``WEBHOOK_MAX_FAILURES`` failures in a row the webhook is disabled.

The signature header is ``X-Hubnet-Signature: t=<unix time>,v1=<hex>``, the
HMAC-SHA256 with the webhook's secret of ``"<t>." + body``; a receiver checks
it and refuses old timestamps (replays)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from alerts.models import Webhook, WebhookDelivery
from hubs.endpoints import EndpointRefused, endpoint_url_check
from hubs.identity import hub_identity
from search.queries import catalogue_search
from search.query_string import search_params_parse

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hubnet-Signature"
BATCH_SIZE = 100
MAX_ERROR = 500
RETRY_DELAY_MAX = 3600


def signature_make(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value of ``body`` sent at ``timestamp``."""
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhooks_check(*, now: dt.datetime | None = None) -> list[int]:
    """For every active webhook, one pending delivery of the records that
    matched since its last check; the ids of the new deliveries."""
    now = now or timezone.now()
    created = []
    for webhook in Webhook.objects.filter(active=True).order_by("pk"):
        since = webhook.last_checked_at or webhook.created_at
        claimed = Webhook.objects.filter(
            pk=webhook.pk, last_checked_at=webhook.last_checked_at
        ).update(last_checked_at=now)
        if not claimed:  # another run took this window
            continue
        params = search_params_parse(
            QueryDict(webhook.query),
            sort="newest",
            size=BATCH_SIZE,
            after=None,
            facets=(),
            highlight=False,
            indexed_after=since,
            indexed_until=now,
        )
        hits = catalogue_search(params=params).hits
        if not hits:
            continue
        event_id = uuid.uuid4().hex
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event_id=event_id,
            attempt=1,
            record_ids=[hit.id for hit in hits],
            payload={
                "event": event_id,
                "type": "records.matched",
                "hub": hub_identity().slug,
                "webhook": webhook.name,
                "since": since.isoformat(),
                "until": now.isoformat(),
                "records": [hit.record for hit in hits],
            },
        )
        created.append(delivery.pk)
    return created


@dataclass(frozen=True)
class Retry:
    """The next attempt of a failed delivery and when to make it."""

    delivery_id: int
    delay_seconds: int


def webhook_deliver(*, delivery_id: int) -> Retry | None:
    """Post one delivery (once: a finished one is left alone) and record the
    outcome; the retry to schedule when it failed and the webhook stays active."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.finished_at is not None:
        return None
    webhook = delivery.webhook
    if not webhook.active:
        _finish(delivery, error="webhook disabled")
        return None
    status, error = _post(webhook, delivery)
    if error is None:
        _finish(delivery, status=status, succeeded=True)
        Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
        return None
    _finish(delivery, status=status, error=error)
    Webhook.objects.filter(pk=webhook.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    webhook.refresh_from_db(fields=["consecutive_failures"])
    if webhook.consecutive_failures >= settings.WEBHOOK_MAX_FAILURES:
        Webhook.objects.filter(pk=webhook.pk).update(active=False)
        logger.warning(
            "webhook %s disabled after %s failed deliveries",
            webhook.pk,
            webhook.consecutive_failures,
        )
        return None
    retry = WebhookDelivery.objects.create(
        webhook=webhook,
        event_id=delivery.event_id,
        attempt=delivery.attempt + 1,
        record_ids=delivery.record_ids,
        payload=delivery.payload,
    )
    delay = settings.WEBHOOK_RETRY_DELAY * 2 ** (delivery.attempt - 1)
    return Retry(delivery_id=retry.pk, delay_seconds=min(delay, RETRY_DELAY_MAX))


def _post(webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    """The receiver's status and, unless it took the delivery (2xx), why not."""
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    try:
        endpoint_url_check(webhook.url)
        response = requests.post(
            webhook.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature_make(
                    secret=webhook.secret, timestamp=int(time.time()), body=body
                ),
                "X-Hubnet-Event": delivery.event_id,
                "X-Hubnet-Attempt": str(delivery.attempt),
            },
            timeout=(settings.WEBHOOK_TIMEOUT, settings.WEBHOOK_TIMEOUT),
            allow_redirects=False,
        )
    except EndpointRefused as error:
        return None, f"refused: {error}"[:MAX_ERROR]
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:MAX_ERROR]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _finish(
    delivery: WebhookDelivery,
    *,
    status: int | None = None,
    error: str = "",
    succeeded: bool = False,
) -> None:
    delivery.status_code = status
    delivery.error = error
    delivery.succeeded = succeeded
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status_code", "error", "succeeded", "finished_at"])
