"""Every record's text is analysed in its own language, on the real node.

``search.index`` gives each record ``i18n.<language>`` copies of its title,
summary and description, analysed with ``english``, ``dutch_kp`` (Kraaij-Pohlmann),
``german`` or ``french``; a record in another language is matched by the
language-neutral fields only. Real entries of the Dutch algorithm register and
real public-sector AI cases (in English) are found by stemmed forms.
"""

import csv

import pytest

from federation.records import record_validate
from search.engine import search_engine
from search.queries import catalogue_search
from search.types import SearchParams
from standards.algoritmeregister.legacy import legacy_translate
from standards.algoritmeregister.mapping import body_from_entry
from standards.algoritmeregister.schema import entry_validate
from tests.search.corpus import index_all, wire
from tests.standards.algoritmeregister.helpers import DATA, entries

REGISTER = DATA / "algoritmeregister_entries_nl.json"
CASES = DATA.parents[3] / "hubnet" / "demo_data" / "public_sector_ai_cases.csv"
REGISTER_NAMES = (
    "Vervanging lichtmasten",
    "Voorspellen en voorkomen verkeersongevallen",
    "Toezicht en Handhaving Weesfietsen",
    "Meldingen openbare ruimte",
)
CASE_IDS = ("10000", "10003", "10007", "10009")


def _text(language, hub, name, summary):
    return wire(
        hub=hub,
        language=language,
        name=name,
        shortDescription=summary,
        location=None,
    )


def _register_record(entry):
    """A real register entry (standard 0.x) as the importer maps it."""
    body = body_from_entry(entry_validate(legacy_translate(entry).entry, legacy=True))
    return _record("nl", "nl", body)


def _case_record(row):
    """A real public-sector AI case (English), as the demo seeds it, in short."""
    body = {
        "name": row["name"],
        "shortDescription": row["description"][:500].rsplit(" ", 1)[0],
        "organisation": row["lead_organisation_name"],
        "status": "in-use",
    }
    return _record("en", "eu", body)


def _record(language, hub, body):
    template = wire(hub=hub, language=language, location=None)
    return record_validate({**template, "body": body}).wire()


@pytest.fixture(scope="module")
def corpus(search_alias):
    records = {
        "nl": _text(
            "nl",
            "nl",
            "Wachttijden in ziekenhuizen",
            "De ziekenhuizen van de regio delen hun wachttijden.",
        ),
        "fr": _text(
            "fr",
            "be",
            "Les hôpitaux de Wallonie",
            "Les hôpitaux partagent leurs temps d'attente.",
        ),
        "de": _text(
            "de",
            "eu",
            "Die Krankenhäuser in Bayern",
            "Die Krankenhäuser teilen ihre Wartezeiten.",
        ),
        "en": _text(
            "en", "eu", "Waiting lists of hospitals", "Hospitals share waiting times."
        ),
        # Dutch words in a record that says it is English: never stemmed as Dutch
        "en-with-dutch-words": _text(
            "en", "eu", "Lijst van ziekenhuizen", "A list kept in Dutch."
        ),
        # a language without an analyzer: the language-neutral fields only
        "it": _text("it", "eu", "Gli ospedali della città", "Tempi di attesa."),
    }
    register = {entry["name"]: entry for entry in entries(REGISTER)}
    for name in REGISTER_NAMES:
        records[name] = _register_record(register[name])
    with CASES.open(encoding="utf-8", newline="") as source:
        cases = {row["id"]: row for row in csv.DictReader(source)}
    for case_id in CASE_IDS:
        records[f"case-{case_id}"] = _case_record(cases[case_id])
    index_all(search_engine(), list(records.values()))
    return records


def _found(corpus, text):
    names = {record["id"]: name for name, record in corpus.items()}
    results = catalogue_search(params=SearchParams(text=text, fuzzy=False))
    return sorted(names[hit.id] for hit in results.hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ziekenhuis", ["nl"]),
        ("hôpital", ["fr"]),
        ("Krankenhaus", ["de"]),
        ("hospital", ["en"]),
    ],
)
def test_the_singular_finds_the_plural_in_the_records_language(corpus, query, expected):
    # given each language's plural in one record; exact matching (no typos)
    # when searching for the singular / then only that record is found
    assert _found(corpus, query) == expected


def test_a_record_is_stemmed_in_its_own_language_only(corpus):
    # given "ziekenhuizen" in a Dutch and in an English record
    # when / then: the exact word finds both, the stem only the Dutch one
    assert _found(corpus, "ziekenhuizen") == ["en-with-dutch-words", "nl"]
    assert _found(corpus, "ziekenhuis") == ["nl"]


def test_a_language_without_analyzer_falls_back_to_exact_words(corpus):
    assert _found(corpus, "ospedali") == ["it"]
    assert _found(corpus, "ospedale") == []


@pytest.mark.parametrize(
    ("analyzer", "text", "tokens"),
    [
        ("english", "The hospitals of the city", ["hospit", "citi"]),
        ("dutch_kp", "De ziekenhuizen van het land", ["ziekenhuis", "land"]),
        ("german", "Die Krankenhäuser und die Pflege", ["krankenhaus", "pfleg"]),
        ("french", "Les hôpitaux de la ville", ["hopital", "vile"]),
    ],
)
def test_the_index_analyzers_drop_stop_words_and_stem(
    corpus, engine, search_alias, analyzer, text, tokens
):
    # given the physical index behind the alias
    (physical,) = engine.alias_targets(alias=search_alias)
    # when / then
    assert engine.analyze(index=physical, analyzer=analyzer, text=text) == tokens


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lichtmast", ["Vervanging lichtmasten"]),
        ("verkeersongeval", ["Voorspellen en voorkomen verkeersongevallen"]),
        ("weesfiets", ["Toezicht en Handhaving Weesfietsen"]),
    ],
)
def test_a_dutch_query_finds_a_real_register_entry_by_its_stem(corpus, query, expected):
    # given real entries of the Dutch algorithm register, in Dutch
    # when searching for the singular of a word of the title / then
    assert _found(corpus, query) == expected


def test_an_english_query_finds_a_real_case_by_its_stem(corpus):
    # given real public-sector AI cases in English ("Walloon - Agricultural
    # subsidy monitoring ..."); when searching another form of a title word
    assert _found(corpus, "subsidies monitored") == ["case-10003"]
