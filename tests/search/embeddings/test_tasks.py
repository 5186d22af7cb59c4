"""The fill task through the hub's real worker processes (Redis or the embedded
broker): it runs in the sync worker's process, the vector lands, and then the
catalogue's phrase vocabulary is built."""

from django.conf import settings

from hubnet.processes import wait_until
from search.embeddings.vectors import VECTOR_FIELD
from search.models import PhraseVocabulary
from search.tasks import embeddings_fill_task
from tests.search.corpus import index_all, wire


def test_the_fill_task_puts_the_vector_in_through_the_worker(
    fresh_alias, engine, hub_worker_processes
):
    # given a record of hub nl written lexically, and nl's workers running
    record = wire(hub="nl", name="Slimme verkeerslichten in de stad")
    english = [
        wire(hub="nl", language="en", name=name)
        for name in ("Air quality sensors", "Air quality forecasts")
    ]
    index_all(engine, [record, *english])
    hub_worker_processes(
        SEARCH_URL=settings.SEARCH_URL,
        SEARCH_INDEX_ALIAS=fresh_alias,
        HUB_SLUG="nl",
        SEARCH_EMBEDDING_CACHE_FILE="",
        SEARCH_ENCODER="e5-numpy",
        # the test's broker, whichever hub slug the worker has
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )

    def vector() -> list | None:
        found = engine.document_get(index=fresh_alias, doc_id=record["id"])
        return found["_source"].get(VECTOR_FIELD)

    # when the task is sent
    embeddings_fill_task.delay()
    # then the vector lands
    assert wait_until(lambda: vector() is not None, timeout=90)
    assert len(vector()) == 384
    # and, once every record has its vector, the English phrases their vocabulary
    assert wait_until(PhraseVocabulary.objects.filter(complete=True).exists, timeout=90)
    assert PhraseVocabulary.objects.get().phrases == ["air quality", "quality"]
