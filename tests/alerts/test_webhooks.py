"""Webhooks: signed deliveries of new matches to a real local receiver that
verifies them, retries with back-off through the real worker, each attempt
recorded, and the hook disabled after repeated failure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.models import Webhook, WebhookDelivery
from alerts.services.webhooks import Retry, webhook_deliver, webhooks_check
from alerts.tasks import webhook_deliver_task
from hubnet.processes import wait_until
from search.engine import search_engine
from tests.alerts.receiver import webhook_receiver
from tests.search.corpus import index_all, wire

SECRET = "s3cret-of-the-receiver"


def _webhook(
    url: str, *, secret: str = SECRET, query: str = "kinds=dataset"
) -> Webhook:
    webhook = Webhook.objects.create(
        name="Open data portal", url=url, query=query, secret=secret
    )
    Webhook.objects.filter(pk=webhook.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    webhook.refresh_from_db()
    return webhook


def _dataset() -> dict:
    return wire(kind="dataset", hub="eindhoven", title="Zorgdata")


@pytest.mark.django_db
def test_new_matches_are_delivered_signed_once(alias, settings):
    # given a webhook for datasets, and a dataset and a project indexed since
    settings.WEBHOOK_MAX_FAILURES = 3
    dataset = _dataset()
    index_all(search_engine(), [dataset, wire(hub="eindhoven", name="Zorgrobot")])
    with webhook_receiver(SECRET) as receiver:
        webhook = _webhook(receiver.url)
        # when beat's check runs and the delivery is made
        (delivery_id,) = webhooks_check()
        assert webhook_deliver(delivery_id=delivery_id) is None
        # then the receiver got the dataset alone, and the signature held
        (request,) = receiver.received
        assert request.verified
        assert [record["id"] for record in request.body["records"]] == [dataset["id"]]
        assert request.headers["X-Hubnet-Attempt"] == "1"
        # and the delivery is recorded as taken; nothing is sent twice
        delivery = WebhookDelivery.objects.get()
        assert (delivery.succeeded, delivery.status_code) == (True, 204)
        assert webhook_deliver(delivery_id=delivery_id) is None
        assert webhooks_check() == []
        assert len(receiver.received) == 1
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 0


@pytest.mark.django_db
def test_a_wrong_secret_fails_verification_and_is_retried_later(alias, settings):
    # given a webhook whose secret the receiver does not share
    settings.WEBHOOK_RETRY_DELAY = 30
    index_all(
        search_engine(), [wire(kind="dataset", hub="eindhoven", title="Zorgdata")]
    )
    with webhook_receiver(SECRET) as receiver:
        _webhook(receiver.url, secret="another-secret")
        (delivery_id,) = webhooks_check()
        # when the delivery is made
        retry = webhook_deliver(delivery_id=delivery_id)
    # then the receiver refused it, the attempt is recorded, a retry is due in 30 s
    assert [request.verified for request in receiver.received] == [False]
    first = WebhookDelivery.objects.get(pk=delivery_id)
    assert (first.succeeded, first.status_code, first.error) == (False, 401, "HTTP 401")
    assert retry == Retry(delivery_id=retry.delivery_id, delay_seconds=30)
    assert WebhookDelivery.objects.get(pk=retry.delivery_id).attempt == 2


def test_failures_are_retried_with_back_off_then_the_hook_is_disabled(
    alias, hub_worker_processes
):
    # given the hub's workers (1 s back-off, disabled after 3 failures) and a
    # receiver that answers 500 three times
    index_all(
        search_engine(), [wire(kind="dataset", hub="eindhoven", title="Zorgdata")]
    )
    hub_worker_processes(
        SEARCH_URL=settings.SEARCH_URL,
        SEARCH_INDEX_ALIAS=alias,
        WEBHOOK_RETRY_DELAY="1",
        WEBHOOK_MAX_FAILURES="3",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    with webhook_receiver(SECRET, statuses=[500, 500, 500]) as receiver:
        webhook = _webhook(receiver.url)
        (delivery_id,) = webhooks_check()
        # when the first delivery is sent to the worker
        webhook_deliver_task.delay(delivery_id=delivery_id)
        # then it is tried three times, waiting 1 s then 2 s, and the hook disabled
        assert wait_until(
            lambda: not Webhook.objects.get(pk=webhook.pk).active, timeout=60
        )
        assert [request.verified for request in receiver.received] == [True] * 3
        times = [request.at for request in receiver.received]
        assert times[1] - times[0] >= 1
        assert times[2] - times[1] >= 2
    attempts = WebhookDelivery.objects.order_by("attempt")
    assert [(d.attempt, d.status_code, d.succeeded) for d in attempts] == [
        (1, 500, False),
        (2, 500, False),
        (3, 500, False),
    ]
    assert len({d.event_id for d in attempts}) == 1
    assert Webhook.objects.get(pk=webhook.pk).consecutive_failures == 3
