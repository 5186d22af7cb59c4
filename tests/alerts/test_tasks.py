"""Alerts end to end on one hub: the real worker process (beat's task sent by
hand), the real search node and a real local SMTP server."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from alerts.models import SavedSearch, email_hash
from alerts.tasks import digests_due_enqueue_task
from federation.services.store import PublishItem, records_publish
from hubnet.processes import wait_until
from search.indexing import index_ensure
from search.queries import catalogue_search
from search.query_string import search_params_parse
from tests.alerts.smtp import links_of, text_of
from tests.federation.factories import body_for

SME = "sme@eindhoven.example"
# Healthcare organisations within 30 km of Eindhoven's centre.
NEARBY_CARE = "kinds=organisation&sectors=healthcare&near=51.4416,5.4697&radius_km=30"
# 's-Hertogenbosch-Zuid, 27 km from Eindhoven's centre.
DEN_BOSCH_ZUID = {"lat": 51.665, "lon": 5.30, "nuts": ["NL413"], "country": "NL"}


def _publish(name: str, sectors: list[str]) -> str:
    (stored,) = records_publish(
        items=[
            PublishItem(
                kind="organisation",
                body=body_for(
                    "organisation", name=name, sectors=sectors, location=DEN_BOSCH_ZUID
                ),
                language="nl",
            )
        ]
    )
    return stored.record_id


def _indexed(record_id: str) -> bool:
    hits = catalogue_search(params=search_params_parse({}, size=100)).hits
    return record_id in {hit.id for hit in hits}


def _a_day_passes() -> None:
    SavedSearch.objects.update(last_digest_at=timezone.now() - dt.timedelta(days=1))


def test_an_sme_hears_of_a_new_healthcare_partner_nearby_until_it_unsubscribes(
    alias, smtp, hub_worker_processes, client
):
    # given the hub's workers sending mail to the local SMTP server
    index_ensure()
    hub_worker_processes(
        SEARCH_URL=settings.SEARCH_URL,
        SEARCH_INDEX_ALIAS=alias,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    # and an SME at Eindhoven that saved "healthcare partners within 30 km"
    response = client.post(
        "/alerts/subscribe/",
        {"email": SME, "frequency": "daily", "query": NEARBY_CARE},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    (confirmation,) = smtp.inbox.wait_for(1)
    (confirm_url,) = [u for u in links_of(confirmation) if "/alerts/confirm/" in u]
    assert client.post(urlsplit(confirm_url).path).status_code == 200
    # and a second subscriber of all organisations (shows that a digest run ran)
    SavedSearch.objects.create(
        email="other@example.org",
        email_hash=email_hash("other@example.org"),
        query="kinds=organisation",
        frequency="daily",
        language="en",
        confirmed_at=timezone.now(),
        last_digest_at=timezone.now(),
    )
    # when a coordinator at 's-Hertogenbosch publishes a healthcare organisation
    # (and a mobility one), they are indexed, and a day later beat runs
    care = _publish("Zorgdata Bosch", ["healthcare"])
    mobility = _publish("Verkeer Bosch", ["mobility"])
    assert wait_until(lambda: _indexed(care) and _indexed(mobility), timeout=60)
    _a_day_passes()
    digests_due_enqueue_task.delay()
    # then the SME's digest lists the healthcare organisation with a working link
    messages = smtp.inbox.wait_for(3)
    (digest,) = [m for m in messages[1:] if m["To"] == SME]
    assert "- Zorgdata Bosch (Organisation)" in text_of(digest)
    assert "Verkeer Bosch" not in text_of(digest)
    (link,) = [u for u in links_of(digest) if care in u]
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Zorgdata Bosch" in page.content.decode()
    # when the SME unsubscribes with one click, a new match appears, a day passes
    unsubscribe = digest["List-Unsubscribe"].strip().strip("<>")
    client.post(
        urlsplit(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    second = _publish("Zorgrobot Bosch", ["healthcare"])
    assert wait_until(lambda: _indexed(second), timeout=60)
    _a_day_passes()
    digests_due_enqueue_task.delay()
    # then only the other subscriber hears of it: no further mail to the SME
    messages = smtp.inbox.wait_for(4)
    assert [m["To"] for m in messages[3:]] == ["other@example.org"]
    assert "Zorgrobot Bosch" in text_of(messages[3])
    assert [m["To"] for m in messages].count(SME) == 2
    assert not wait_until(lambda: len(smtp.inbox.messages) > 4, timeout=3)
    assert not SavedSearch.objects.filter(email_hash=email_hash(SME)).exists()
