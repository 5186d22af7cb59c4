"""Translating 0.x entries: what an impact assessment's description keeps.

A 0.x ``dpia_description``/``iama_description`` holds links, labels before
links ("DPIA: https://..., IAMA: https://...") or a free text. Links become
assessment items; what is left after the links is a note unless it is labels
only (words, each followed by at most one colon and one comma).
"""

import pytest

from standards.algoritmeregister.legacy import legacy_translate


def assessment_note(description: str) -> str | None:
    """The assessment note a 0.x entry with this DPIA description gets."""
    translated = legacy_translate(
        {"name": "Algoritme", "dpia": "ja", "dpia_description": description}
    )
    return translated.entry.get("impacttoetsen")


@pytest.mark.parametrize(
    "description",
    [
        "https://gemeente.nl/dpia",
        "DPIA: https://gemeente.nl/dpia, IAMA: https://gemeente.nl/iama",
        "DPIA:, IAMA:",
        "DPIA : , IAMA",
        "Uitgevoerd in 2021",
        "Één toets, één uitkomst",
        "label1:,label2 :  ,  label3",
        "a:b,c",
    ],
)
def test_links_and_labels_leave_no_note(description):
    # given a description of links, labels or bare words
    # when the entry is translated
    # then no note is made of it
    assert assessment_note(description) is None


@pytest.mark.parametrize(
    ("description", "note"),
    [
        (
            "PRA DPIA uitgevoerd in December 2021. Risicoprofiel Laag.",
            "DPIA: PRA DPIA uitgevoerd in December 2021. Risicoprofiel Laag.",
        ),
        ("Zie https://gemeente.nl/dpia (besloten)", "DPIA: Zie  (besloten)"),
        ("Fase 1: : gereed", "DPIA: Fase 1: : gereed"),
        ("Fase 1, : gereed", "DPIA: Fase 1, : gereed"),
        ("Fase 1:,, gereed", "DPIA: Fase 1:,, gereed"),
        ("Risico\u2019s beperkt", "DPIA: Risico\u2019s beperkt"),
        ("nog niet - gepland", "DPIA: nog niet - gepland"),
    ],
)
def test_other_text_is_kept_as_a_note(description, note):
    # given a description with more than words, colons and commas
    # when the entry is translated
    # then it is kept as a note of its assessment type
    assert assessment_note(description) == note


def test_a_long_sentence_ending_in_a_full_stop_is_kept_at_once():
    # given the kind of description that once made the translation run for hours
    description = "De gegevensbeschermingseffectbeoordeling is uitgevoerd " * 40 + "."
    # when the entry is translated
    # then its text is a note (the test run's timeout guards the time)
    assert assessment_note(description) == f"DPIA: {description.strip()}"
