"""The catalogue's phrase vocabulary: built from the index's records of the
pivot language, cached, rebuilt when due, and a query pulled towards its
nearest phrase; a failing encoder leaves the last vocabulary in place."""

import datetime as dt
import logging

import numpy as np
import pytest
from django.test import override_settings
from django.utils import timezone

from search.embeddings.phrases import (
    phrase_vocabulary_build,
    phrase_vocabulary_due,
    phrase_vocabulary_forget,
    phrase_vocabulary_refresh,
    phrases_count,
)
from search.embeddings.query import query_vector, query_vectors_forget
from search.models import EmbeddingCache, PhraseVocabulary
from tests.search.corpus import index_all, wire

pytestmark = pytest.mark.django_db

ENGLISH = [
    ("Face recognition at the border", ["face recognition", "biometrics"]),
    ("Face recognition in stations", ["face recognition", "public safety"]),
    ("Waste collection routes", ["waste collection", "logistics"]),
    ("Smart waste collection", ["waste collection"]),
    ("Air quality sensors", ["air quality"]),
    ("Air quality forecasts", ["air quality"]),
]


@pytest.fixture
def catalogue(db, fresh_alias, engine, switchable_encoder):
    """Six English records, two Dutch ones (not the pivot language), and no
    vocabulary held by this process."""
    records = [
        wire(hub="nl", language="en", name=name, themes=keywords)
        for name, keywords in ENGLISH
    ]
    records += [
        wire(hub="nl", language="nl", name="Kentekenherkenning parkeren"),
        wire(hub="nl", language="nl", name="Kentekenherkenning handhaving"),
    ]
    index_all(engine, records)
    phrase_vocabulary_forget()
    query_vectors_forget()
    yield switchable_encoder
    phrase_vocabulary_forget()
    query_vectors_forget()


def test_phrases_are_frequent_one_to_three_word_runs_without_stop_word_edges():
    texts = [
        "Facial recognition in public spaces",
        "Facial recognition for border control",
        "Border control of the future, 2024",
        "Gesichtserkennung",
        "gesichtserkennung",
        "AI",
        "AI",
    ]
    assert phrases_count(texts) == [
        "border",
        "border control",
        "control",
        "facial",
        "facial recognition",
        "gesichtserkennung",
        "recognition",
    ]


def test_a_dutch_query_is_pulled_towards_the_english_phrase_it_means(catalogue, engine):
    # given the vocabulary built from the English records
    built = phrase_vocabulary_build(
        engine=engine, encoder=catalogue(threads=0, max_tokens=128), seconds=60
    )
    assert (built.phrases, built.complete) == (len(_expected()), True)
    vocabulary = PhraseVocabulary.objects.get()
    assert vocabulary.phrases == _expected()
    # when a Dutch query and an English phrase are asked
    dutch = query_vector(text="gezichtsherkenning", engine=engine)
    english = query_vector(text="waste collection", engine=engine)
    # then the Dutch one is pulled towards "face recognition", a unit vector
    # between the query and the phrase; a phrase itself stays where it is
    assert dutch.phrase == "face recognition"
    assert np.linalg.norm(dutch.vector) == pytest.approx(1.0, abs=1e-5)
    assert english.phrase == "waste collection"
    with override_settings(SEARCH_PHRASE_WEIGHT=0):
        raw_dutch = query_vector(text="gezichtsherkenning", engine=engine)
        raw_english = query_vector(text="waste collection", engine=engine)
    assert raw_dutch.phrase is None
    phrase = _phrase_vector(vocabulary, "face recognition")
    assert np.dot(dutch.vector, phrase) > np.dot(raw_dutch.vector, phrase)
    assert np.dot(english.vector, raw_english.vector) > 0.999


def _expected() -> list[str]:
    titles_and_keywords = [text for name, keys in ENGLISH for text in [name, *keys]]
    return phrases_count(titles_and_keywords)


def _phrase_vector(vocabulary: PhraseVocabulary, phrase: str) -> np.ndarray:
    rows = np.frombuffer(bytes(vocabulary.vectors), dtype="<f2").astype(np.float32)
    return rows.reshape(len(vocabulary.phrases), -1)[vocabulary.phrases.index(phrase)]


def test_a_build_out_of_time_goes_on_from_the_cache_and_is_due_until_complete(
    catalogue, engine
):
    encoder = catalogue(threads=0, max_tokens=128)
    # given a build with no time to encode: no phrase, incomplete, due again
    first = phrase_vocabulary_build(engine=engine, encoder=encoder, seconds=0)
    assert (first.encoded, first.complete) == (0, False)
    assert PhraseVocabulary.objects.get().phrases == []
    assert phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)
    # when built with time, then again
    second = phrase_vocabulary_build(engine=engine, encoder=encoder, seconds=60)
    third = phrase_vocabulary_build(engine=engine, encoder=encoder, seconds=0)
    # then every phrase is encoded once, cached, and the vocabulary not due
    assert (second.encoded, second.complete) == (len(_expected()), True)
    assert (third.encoded, third.complete) == (0, True)
    assert EmbeddingCache.objects.count() == len(_expected())
    assert not phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)
    assert PhraseVocabulary.objects.get().records == len(ENGLISH)
    # until the catalogue grows by more than ten records of its language
    more = [wire(hub="nl", language="en", name=f"Project {n}") for n in range(11)]
    index_all(engine, more[:10])
    assert not phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)
    index_all(engine, more[10:])
    assert phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)
    # or grows old
    phrase_vocabulary_build(engine=engine, encoder=encoder, seconds=60)
    assert not phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)
    PhraseVocabulary.objects.update(
        built_at=timezone.now() - dt.timedelta(seconds=21600)
    )
    assert phrase_vocabulary_due(model_id=encoder.model_id, engine=engine)


def test_a_failing_encoder_keeps_the_last_vocabulary_and_search_goes_on(
    catalogue, engine, caplog
):
    # given a vocabulary, grown old
    encoder = catalogue(threads=0, max_tokens=128)
    phrase_vocabulary_build(engine=engine, encoder=encoder, seconds=60)
    PhraseVocabulary.objects.update(
        built_at=timezone.now() - dt.timedelta(seconds=21600)
    )
    before = PhraseVocabulary.objects.get()
    EmbeddingCache.objects.all().delete()

    def crash(text):
        raise RuntimeError("phrase encoder crashed")

    encoder.encode_query = crash
    # when it is refreshed with an encoder that crashes
    with caplog.at_level(logging.ERROR, logger="search.embeddings.phrases"):
        assert phrase_vocabulary_refresh(seconds=60, encoder=encoder) is None
    # then one clear line, the vocabulary as it was, and queries still pulled
    assert "phrase vocabulary not rebuilt: the encoder: phrase encoder crashed" in (
        caplog.text
    )
    after = PhraseVocabulary.objects.get()
    assert (after.phrases, after.built_at) == (before.phrases, before.built_at)
    assert query_vector(text="luchtkwaliteit", engine=engine).phrase == "air quality"


def test_no_encoder_no_refresh(catalogue, engine):
    with override_settings(SEARCH_ENCODER="none"):
        assert phrase_vocabulary_refresh(seconds=60, engine=engine) is None
    assert not PhraseVocabulary.objects.exists()
