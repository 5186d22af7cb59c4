"""The shipped vectors of the demo seed and of its catalogue phrases: made by
``hubnet embeddings cache`` with the configured encoder, they match a fresh
computation of a sample."""

import random
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from federation.selectors import record_wire
from federation.services.store import PublishItem, records_publish
from hubnet.demo.data import demo_plan
from hubnet.demo.embeddings import demo_embeddings_cache, demo_phrases, demo_texts
from hubnet.demo.hubs import demo_network
from search.documents import document_build
from search.embeddings.encoders import NumpyE5Encoder, encoder_model_id
from search.embeddings.seed_file import seed_file_read
from search.embeddings.texts import embedding_text, text_hash


@pytest.fixture(scope="module")
def encoder() -> NumpyE5Encoder:
    return NumpyE5Encoder(threads=0, max_tokens=settings.SEARCH_EMBED_MAX_TOKENS)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return demo_texts()


@pytest.fixture(scope="module")
def phrases() -> dict[str, str]:
    return demo_phrases()


def test_the_shipped_file_holds_demo_vectors_of_the_configured_model(texts, phrases):
    shipped = seed_file_read(settings.SEARCH_EMBEDDING_CACHE_FILE, encoder_model_id())
    # every vector in it is of a demo text or phrase, most demo texts and every
    # phrase are in it
    assert set(shipped) <= set(texts) | set(phrases)
    assert len(set(shipped) & set(texts)) >= 0.9 * len(texts)
    assert len(phrases) > 1000
    assert set(phrases) <= set(shipped)


def test_a_sample_of_the_shipped_vectors_matches_a_fresh_computation(
    encoder, texts, phrases
):
    shipped = seed_file_read(settings.SEARCH_EMBEDDING_CACHE_FILE, encoder.model_id)
    records = random.Random(7).sample(sorted(set(shipped) & set(texts)), 6)
    fresh = encoder.encode_passages([texts[digest] for digest in records])
    # a phrase is encoded as a query
    sample = random.Random(7).sample(sorted(phrases), 6)
    fresh_phrases = [encoder.encode_query(phrases[digest]) for digest in sample]
    for digest, row in zip([*records, *sample], [*fresh, *fresh_phrases], strict=True):
        # float16 storage: equal up to rounding
        assert float(shipped[digest] @ row) > 0.999


def test_a_cache_run_resumes_and_keeps_what_the_file_held(
    encoder, tmp_path: Path, texts
):
    # given a run stopped after two vectors
    out = tmp_path / "vectors.npz"
    first = demo_embeddings_cache(encoder=encoder, out=out, limit=2)
    # when it runs again with one more allowed
    second = demo_embeddings_cache(encoder=encoder, out=out, limit=1)
    # then the file holds three vectors of the model, none computed twice
    held = seed_file_read.__wrapped__(str(out), encoder.model_id)
    assert (first.computed, second.computed, len(held)) == (2, 1, 3)
    assert set(held) <= set(texts)  # records first, then phrases
    assert all(
        np.linalg.norm(row) == pytest.approx(1.0, abs=1e-2) for row in held.values()
    )
    # and another model's lookup ignores the file
    assert seed_file_read.__wrapped__(str(out), "another-model") == {}


def test_a_published_demo_record_has_the_text_hash_the_file_was_made_for(db, texts):
    # given demo records of every kind published as the seeding publishes them
    plan = demo_plan(demo_network().hubs)
    items = [item for items in plan.values() for item in items]
    sample = {item.kind: item for item in items}.values()
    stored = records_publish(
        items=[
            PublishItem(kind=item.kind, body=item.body, language=item.language)
            for item in sample
        ]
    )
    # then the hub's embedding text of each is one the cache command embeds
    for record in stored:
        text = embedding_text(document_build(record_wire(record)))
        assert text_hash(text) in texts
