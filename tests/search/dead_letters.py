"""The dead letters of the search tests: an ingest pipeline that makes the real
OpenSearch node refuse "Weigeraar" records for good (a mapping conflict: a word
in the integer field ``trl``), and records published and drained against it."""

import uuid

import requests

from federation.models import StoredRecord
from federation.services.store import PublishItem, records_publish
from search.engine import search_engine
from search.indexing import index_drain
from search.models import DeadLetter
from tests.federation.factories import body_for

REFUSED_TITLE = "Weigeraar"


class Refusal:
    """The ingest pipeline of one test index: refusing or fixed."""

    def __init__(self, search_url: str) -> None:
        self.url = f"{search_url}/_ingest/pipeline/dead-letter-{uuid.uuid4().hex[:8]}"
        self.name = self.url.rsplit("/", 1)[1]

    def refuse(self) -> None:
        condition = f"ctx.title != null && ctx.title.startsWith('{REFUSED_TITLE}')"
        self._put([{"set": {"if": condition, "field": "trl", "value": "hoog"}}])

    def fix(self) -> None:
        self._put([])

    def _put(self, processors: list) -> None:
        answer = requests.put(self.url, json={"processors": processors}, timeout=10)
        assert answer.status_code == 200, answer.text

    def delete(self) -> None:
        requests.delete(self.url, timeout=10)


def publish_records(count: int, *, refused_at: int | None = None) -> list[StoredRecord]:
    """``count`` projects, the one at ``refused_at`` named to be refused."""
    names = [
        f"{REFUSED_TITLE} {n}" if n == refused_at else f"Project {n}"
        for n in range(count)
    ]
    return records_publish(
        items=[
            PublishItem(kind="project", body=body_for("project", name=name))
            for name in names
        ]
    )


def indexed_versions() -> dict[str, int]:
    """Every document of the alias: id → version."""
    from django.conf import settings

    engine = search_engine()
    engine.index_refresh(name=settings.SEARCH_INDEX_ALIAS)
    answer = engine.search(
        index=settings.SEARCH_INDEX_ALIAS,
        body={"size": 1000, "version": True, "_source": False},
    )
    return {hit["_id"]: hit["_version"] for hit in answer["hits"]["hits"]}


def dead_letter_some(refusal_fixture: Refusal, settings, *, count: int = 3) -> list:
    """Publish ``count`` records and drain once with one attempt: the second is
    dead-lettered."""
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 1
    stored = publish_records(count, refused_at=1)
    index_drain(page_size=2)
    assert DeadLetter.objects.get().record_id == stored[1].record_id
    return stored
