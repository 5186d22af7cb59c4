"""Queries on the real OpenSearch node: scope, radius, stemming, highlighting,
suggestions and similar records (search.queries)."""

import pytest

from search.engine import search_engine
from search.geo import GeoPoint
from search.queries import catalogue_search, catalogue_suggest
from search.similar import records_similar
from search.types import SearchParams, SearchParamsInvalid
from tests.search.corpus import PLACES, index_all, tombstone, wire

EINDHOVEN = GeoPoint(PLACES["eindhoven"].lat, PLACES["eindhoven"].lon)


def _at(place: str, **body):
    return {"location": PLACES[place].location(), **body}


@pytest.fixture(scope="module")
def corpus(search_alias):
    """One record per hub of the network, records at known places, texts."""
    records = {
        "eu": wire(hub="eu", name="Europese AI-strategie", location=None),
        "nl": wire(hub="nl", name="Nationaal AI-programma", location=None),
        "nl-nb": wire(hub="nl-nb", name="Brabantse AI-coalitie", **_at("tilburg")),
        "den-bosch": wire(hub="den-bosch", name="Parkeerscan", **_at("den-bosch")),
        "eindhoven": wire(hub="eindhoven", name="Slimme lantaarns", **_at("eindhoven")),
        "helmond": wire(hub="eindhoven", name="Verkeerslichten", **_at("helmond")),
        "amsterdam": wire(hub="amsterdam", name="Afvalroutes", **_at("amsterdam")),
        "be": wire(hub="be", name="Vlaamse AI-academie", **_at("leuven")),
        "algoritmes": wire(hub="nl", name="Register van algoritmes", location=None),
        "english": wire(
            hub="eu",
            language="en",
            name="R&D on computing hardware",
            shortDescription="Hardware for AI research and development.",
            location=None,
        ),
    }
    removed = wire(hub="nl-nb", name="Verwijderde parkeerscan", **_at("den-bosch"))
    records["removed"] = tombstone(removed)
    index_all(search_engine(), [removed, *records.values()])
    return records


def _ids(corpus, results):
    names = {record["id"]: name for name, record in corpus.items()}
    return sorted(names[hit.id] for hit in results.hits)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            "eu",
            [
                "algoritmes",
                "amsterdam",
                "be",
                "den-bosch",
                "eindhoven",
                "english",
                "eu",
                "helmond",
                "nl",
                "nl-nb",
            ],
        ),
        (
            "nl",
            [
                "algoritmes",
                "amsterdam",
                "den-bosch",
                "eindhoven",
                "helmond",
                "nl",
                "nl-nb",
            ],
        ),
        ("nl-nb", ["den-bosch", "eindhoven", "helmond", "nl-nb"]),
        ("eindhoven", ["eindhoven", "helmond"]),
        ("amsterdam", ["amsterdam"]),
        ("be", ["be"]),
        ("nowhere", []),
    ],
)
def test_scope_is_a_hub_and_everything_under_it(corpus, scope, expected):
    # when searching within a hub's scope
    results = catalogue_search(params=SearchParams(scope=scope, size=50))
    # then: that hub's records and its descendants', never the deleted one
    assert _ids(corpus, results) == expected
    assert results.total == len(expected)


def test_level_filter_uses_the_origin_hubs_level(corpus):
    # when: local hubs (one of them directly under a national hub)
    local = catalogue_search(params=SearchParams(levels=["local"], size=50))
    regional = catalogue_search(
        params=SearchParams(levels=["regional"], scope="nl", size=50)
    )
    # then
    assert _ids(corpus, local) == ["amsterdam", "den-bosch", "eindhoven", "helmond"]
    assert _ids(corpus, regional) == ["nl-nb"]


def test_nuts_filter_matches_at_any_level(corpus):
    # when filtering by NUTS codes of each level
    def found(*codes):
        return _ids(corpus, catalogue_search(params=SearchParams(nuts=codes)))

    # then a code matches everything in it
    assert found("NL414") == ["eindhoven", "helmond"]
    assert found("NL41") == ["den-bosch", "eindhoven", "helmond", "nl-nb"]
    assert found("NL4") == ["den-bosch", "eindhoven", "helmond", "nl-nb"]
    assert found("NL") == ["amsterdam", "den-bosch", "eindhoven", "helmond", "nl-nb"]
    assert found("NL413", "BE") == ["be", "den-bosch"]


def test_radius_search_knows_the_distances_between_dutch_cities(corpus):
    # given Eindhoven; 's-Hertogenbosch is 30.7 km away, Amsterdam 110.0 km
    def within(km):
        params = SearchParams(near=EINDHOVEN, radius_km=km, sort="distance")
        return catalogue_search(params=params)

    # when / then: 40 km takes in Den Bosch and Tilburg, not Amsterdam
    forty = within(40)
    assert [hit.id for hit in forty.hits] == [
        corpus[name]["id"] for name in ("eindhoven", "helmond", "nl-nb", "den-bosch")
    ]
    assert [hit.distance_km for hit in forty.hits] == pytest.approx(
        [0.0, 13.64, 29.10, 30.71], abs=0.01
    )
    # 30 km stops just short of Den Bosch; 111 km reaches Amsterdam
    assert _ids(corpus, within(30)) == ["eindhoven", "helmond", "nl-nb"]
    assert _ids(corpus, within(111)) == [
        "amsterdam",
        "be",
        "den-bosch",
        "eindhoven",
        "helmond",
        "nl-nb",
    ]
    assert _ids(corpus, within(109)) == [
        "be",
        "den-bosch",
        "eindhoven",
        "helmond",
        "nl-nb",
    ]


def test_dutch_stemming_finds_algoritme_for_algoritmes(corpus, engine, search_alias):
    # given "Register van algoritmes" in Dutch; exact matching (no typo tolerance)
    def exact(text):
        return _ids(
            corpus, catalogue_search(params=SearchParams(text=text, fuzzy=False))
        )

    # when / then: the singular finds the plural through the Dutch stemmer
    assert exact("algoritme") == ["algoritmes"]
    assert exact("algoritmes") == ["algoritmes"]
    (physical,) = engine.alias_targets(alias=search_alias)
    assert engine.analyze(index=physical, analyzer="dutch_kp", text="algoritmes") == [
        "algoritme"
    ]


def test_typos_are_tolerated_and_titles_weigh_most(corpus):
    # when searching with a typo
    results = catalogue_search(params=SearchParams(text="parkeerscna"))
    # then the record is found; exact mode does not
    assert _ids(corpus, results) == ["den-bosch"]
    assert (
        catalogue_search(params=SearchParams(text="parkeerscna", fuzzy=False)).total
        == 0
    )


def test_highlights_mark_matches_and_escape_the_rest(corpus):
    # when
    results = catalogue_search(params=SearchParams(text="hardware"))
    # then
    (hit,) = results.hits
    assert hit.highlights == {
        "title": ["R&amp;D on computing <mark>hardware</mark>"],
        "summary": ["<mark>Hardware</mark> for AI research and development."],
    }


def test_suggestions_complete_title_words(corpus):
    # when typing the start of words
    titles = [s.title for s in catalogue_suggest(prefix="parkeer")]
    several = [s.title for s in catalogue_suggest(prefix="register van alg")]
    # then: titles starting so, never the deleted record's
    assert titles == ["Parkeerscan"]
    assert several == ["Register van algoritmes"]
    assert catalogue_suggest(prefix="  ") == []


def test_similar_records_exclude_the_record_itself(corpus):
    # when asking what resembles the Brabant AI coalition
    similar = records_similar(record_id=corpus["nl-nb"]["id"], size=3)
    # then other AI records come first, the record itself never
    assert corpus["nl-nb"]["id"] not in [hit.id for hit in similar]
    assert similar[0].id in {corpus[name]["id"] for name in ("eu", "nl", "be")}
    assert records_similar(record_id="nl:project:unknown") == []


def test_invalid_parameters_are_refused_with_a_reason():
    with pytest.raises(SearchParamsInvalid, match="sort: distance needs near"):
        SearchParams(sort="distance")
    with pytest.raises(SearchParamsInvalid, match="radius_km"):
        SearchParams(radius_km=10)
    with pytest.raises(SearchParamsInvalid, match="nuts: 'nl41' is not a NUTS code"):
        SearchParams(nuts=["nl41"])
    with pytest.raises(SearchParamsInvalid, match="levels: unknown"):
        SearchParams(levels=["city"])
    with pytest.raises(SearchParamsInvalid, match="near"):
        SearchParams(near=(91, 0))


def test_before_any_hub_wrote_the_catalogue_is_empty(search_alias, settings):
    # given an alias no hub has written to yet
    settings.SEARCH_INDEX_ALIAS = f"{search_alias}-unwritten"
    # when / then: empty answers, not errors
    results = catalogue_search(params=SearchParams(text="parkeerscan"))
    assert (results.total, results.hits, results.facets) == (0, [], {})
    assert catalogue_suggest(prefix="parkeer") == []
    assert records_similar(record_id="nl:project:x") == []
