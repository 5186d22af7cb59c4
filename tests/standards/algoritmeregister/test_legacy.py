"""Translating 0.x entries: what an impact assessment's description keeps.

A 0.x ``dpia_description``/``iama_description`` holds links, labels before
links ("DPIA: https://..., IAMA: https://...") or a free text. Links become
assessment items; what is left after the links is a note unless it is labels
only (words, each followed by at most one colon and one comma).
"""

import pytest

from standards.algoritmeregister.legacy import legacy_translate
from standards.algoritmeregister.schema import TEXT_LIMITS, entry_problem
from tests.standards.algoritmeregister.helpers import REGISTER_1_0, entries


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
        ("Zie https://gemeente.nl/dpia (besloten)", "DPIA: Zie (besloten)"),
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


def translated(**values):
    return legacy_translate(
        {"name": "Algoritme", "standard_version": "0.1.0", **values}
    )


@pytest.mark.parametrize(
    ("status", "expected", "note"),
    [
        (None, "In gebruik", "status not given (0.1 has none): taken as In gebruik"),
        ("In gebruik", "In gebruik", None),
        ("Actief", "In gebruik", "status 'Actief' taken as 'In gebruik'"),
        ("In productie", "In gebruik", "status 'In productie' taken as 'In gebruik'"),
        ("Gestopt", "Buiten gebruik", "status 'Gestopt' taken as 'Buiten gebruik'"),
        ("Onbekend", "Onbekend", None),  # refused by the standard, with its reason
    ],
)
def test_0_x_statuses_in_1_0_terms(status, expected, note):
    result = translated(status=status)
    assert result.entry["status"] == expected
    assert [n for n in result.notes if n.startswith("status")] == (
        [note] if note else []
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("Nederlands", "nld"), ("nld", "nld"), (None, None)]
)
def test_dutch_in_any_spelling_is_nld(lang, expected):
    assert translated(lang=lang).entry.get("lang") == expected


@pytest.mark.parametrize(
    ("kind", "methods", "page_method"),
    [
        ("Op regels gebaseerd", "Regelgebaseerd.", "rule-based"),
        ("Rule based", "Regelgebaseerd.", "rule-based"),
        ("Supervised learning", "Zelflerend.", "self-learning"),
        ("Zelflerend.", "Zelflerend.", "self-learning"),
        (
            "Deels op regels, deels zelflerend.",
            "Deels op regels, deels zelflerend.",
            None,
        ),
    ],
)
def test_0_x_types_become_the_method(kind, methods, page_method):
    result = translated(type=kind)
    assert result.entry["methods_and_models"] == methods
    assert result.page_values.get("methods") == page_method


@pytest.mark.parametrize(
    ("website", "expected", "note"),
    [
        ("https://gemeente.nl/a", "https://gemeente.nl/a", None),
        ("www.gemeente.nl", "https://www.gemeente.nl", None),
        ("\xa0", None, None),
        (
            "Zie de kaart.\nhttps://kaart.nl/a?id=1",
            "https://kaart.nl/a?id=1",
            "website: only the link of 'Zie de kaart.\\nhttps://kaart.nl/a?id=1' kept",
        ),
        (
            "n.v.t., proprietary code",
            None,
            "website 'n.v.t., proprietary code' dropped (no http(s) URL)",
        ),
    ],
)
def test_0_x_websites_become_urls_or_a_note(website, expected, note):
    result = translated(website=website)
    assert result.entry.get("website") == expected
    assert [n for n in result.notes if n.startswith("website")] == (
        [note] if note else []
    )


def test_a_contact_that_is_no_address_is_dropped_with_a_note():
    result = translated(contact_email="14 010")
    assert "contact_email" not in result.entry
    assert (
        "contact_email '14 010' dropped (neither an e-mail address nor an http(s) URL)"
        in result.notes
    )


def test_links_in_angle_brackets_are_unwrapped():
    result = translated(source_data="Open data <https://data.nl/set>.")
    assert result.entry["source_data"] == "Open data https://data.nl/set."


def test_a_long_short_description_is_cut_and_kept_whole_in_the_description():
    text = "Een zin over het algoritme. " * 20
    result = translated(description_short=text)
    assert len(result.entry["description_short"]) <= 350
    cut = result.entry["description_short"]
    # cut at a word, marked as cut
    assert cut.endswith(" over…")
    assert text.startswith(cut.removesuffix("…"))
    assert result.page_values["description"] == f"<p>{text.strip()}</p>"


def test_texts_longer_than_1_0_allows_are_kept_whole():
    text = "woord " * 500
    result = translated(source_data=text)
    assert result.full_texts == {"source_data": text.strip()}
    assert len(result.entry["source_data"]) <= 2500
    assert (
        "source_data longer than 1.0 allows (2999 > 2500 characters): kept whole, "
        "shorten it before exporting to the register"
    ) in result.notes


@pytest.mark.parametrize(("name", "limit"), sorted(TEXT_LIMITS.items()))
def test_the_text_limits_are_the_limits_of_the_standard(name, limit):
    # given a valid 1.0 entry
    entry = entries(REGISTER_1_0)[0]
    # then a text of the limit's length is valid in the field, one more is not
    assert entry_problem({**entry, name: "x" * limit}) is None
    assert entry_problem({**entry, name: "x" * (limit + 1)}) == (
        f"{name}: String should have at most {limit} characters"
    )
