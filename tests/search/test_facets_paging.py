"""Facet counts and deep paging on the real OpenSearch node."""

import dataclasses
import random

import pytest

from search.engine import search_engine
from search.geo import GeoPoint
from search.queries import catalogue_search
from search.types import FACETS, SearchParams, SearchParamsInvalid
from tests.search.corpus import HUBS, PLACES, index_all, tombstone, wire

THEMES = ["mobility", "health", "energy", "safety"]
CLASSES = ["high", "limited", "minimal", "not-ai"]
STATUSES = ["idea", "pilot", "in-use"]


def _record(rng: random.Random, number: int) -> dict:
    """A random record; some fields deliberately missing."""
    place = PLACES[rng.choice(sorted(PLACES))]
    hub = rng.choice(sorted(HUBS))
    location = place.location() if rng.random() < 0.8 else None
    kind = rng.choice(["project", "project", "organisation", "course"])
    # Equal timestamps for many records: paging must break ties on the id.
    updated = f"2026-11-{rng.randint(1, 3):02d}T10:00:00Z"
    if kind == "project":
        ai_class = rng.choice(CLASSES)
        return wire(
            kind=kind,
            hub=hub,
            updated_at=updated,
            name=f"Project {number} {rng.choice(['data', 'beeld', 'route'])}",
            themes=rng.sample(THEMES, rng.randint(0, 2)),
            status=rng.choice(STATUSES),
            aiActClass=ai_class,
            annexIiiArea="employment" if ai_class == "high" else None,
            trl=rng.choice([None, *range(1, 10)]),
            location=location,
        )
    if kind == "organisation":
        return wire(
            kind=kind,
            hub=hub,
            updated_at=updated,
            name=f"Organisation {number}",
            type=rng.choice(["sme", "company", "knowledge-institution"]),
            openToPartnership=rng.random() < 0.5,
            location=location,
        )
    return wire(
        kind=kind,
        hub=hub,
        updated_at=updated,
        title=f"Course {number} data",
        mode=rng.choice(["online", "on-site"]),
        location=location,
    )


@pytest.fixture(scope="module")
def records(search_alias):
    rng = random.Random(5)
    records = [_record(rng, number) for number in range(90)]
    gone = [tombstone(record) for record in records[:6]]
    index_all(search_engine(), records + gone)
    return records[6:]  # the live ones


# What each facet counts, computed from the records themselves.
def _values(record: dict, facet: str) -> list:
    body = record["body"]
    location = body.get("location") or {}
    nuts = location.get("nuts") or []
    return {
        "kinds": [record["kind"]],
        "levels": [record["originLevel"]],
        "countries": [location["country"]] if location else [],
        "languages": [record["language"]],
        "themes": body.get("themes", []),
        "sectors": body.get("sectors", []),
        "technologies": body.get("technologies", []),
        "services": body.get("services", []),
        "target_groups": body.get("targetGroups", []),
        "ai_act_classes": [body["aiActClass"]] if body.get("aiActClass") else [],
        "annex_iii_areas": [body["annexIiiArea"]] if body.get("annexIiiArea") else [],
        "statuses": [body["status"]] if "status" in body else [],
        "access_rights": [body["accessRights"]] if "accessRights" in body else [],
        "types": [body["type"]] if "type" in body else [],
        "modes": [body["mode"]] if "mode" in body else [],
        "open_to_partnership": (
            [body["openToPartnership"]] if record["kind"] == "organisation" else []
        ),
        "trl": [body["trl"]] if body.get("trl") else [],
        **_transparency_values(record),
        "scopes": record["originPath"],
        "nuts1": [code[:3] for code in nuts],
        "nuts2": [code[:4] for code in nuts],
        "nuts3": nuts,
    }[facet]


def _transparency_values(record: dict) -> dict:
    """The transparency facets' values (the corpus sets none of the fields, so
    only the derived yes/no facts of projects count: both false)."""
    body = record["body"]
    project = record["kind"] == "project"
    fields = {
        "decision_types": "decisionType",
        "impact_levels": "impactLevel",
        "licences": "licence",
        "school_levels": "schoolLevel",
        "eqf_levels": "eqfLevel",
        "biometric_data": "biometricData",
        "publicly_funded": "publiclyFunded",
        "procurement_clauses": "procurementClauses",
        "b2g_sharing": "b2gSharing",
    }
    values = {
        facet: [body[name]] if body.get(name) is not None else []
        for facet, name in fields.items()
    }
    values["impact_assessments"] = sorted(
        {item["type"] for item in body.get("impactAssessments") or []}
    )
    values["funding_programmes"] = sorted(
        {item["programme"] for item in body.get("funding") or []}
    )
    values["source_code_published"] = (
        [bool(body.get("sourceCodeUrl"))] if project else []
    )
    values["objection_route"] = (
        [bool(body.get("objectionProcedure"))] if project else []
    )
    return values


def _matches(record: dict, params: SearchParams, *, ignore: str | None = None) -> bool:
    """The query semantics, re-stated in Python (scope and nuts narrow all; a
    flat facet's own selection is ignored for its counts)."""
    if params.scope and params.scope not in record["originPath"]:
        return False
    nuts = (record["body"].get("location") or {}).get("nuts") or []
    if params.nuts and not any(
        code.startswith(prefix) for code in nuts for prefix in params.nuts
    ):
        return False
    for facet in ("kinds", "countries", "themes", "ai_act_classes", "types"):
        wanted = getattr(params, facet)
        if facet != ignore and wanted and not set(wanted) & set(_values(record, facet)):
            return False
    trl = record["body"].get("trl")
    if ignore != "trl" and params.trl_min and not (trl and trl >= params.trl_min):
        return False
    wanted = params.open_to_partnership
    return not (
        ignore != "open_to_partnership"
        and wanted is not None
        and _values(record, "open_to_partnership") != [wanted]
    )


def _true_counts(records: list, params: SearchParams, facet: str) -> dict:
    ignore = facet if facet not in {"scopes", "nuts1", "nuts2", "nuts3"} else None
    counts: dict = {}
    for record in records:
        if _matches(record, params, ignore=ignore):
            for value in set(_values(record, facet)):
                counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(),
        SearchParams(kinds=["project"], ai_act_classes=["high", "limited"]),
        SearchParams(scope="nl", countries=["NL"], themes=["mobility"], trl_min=4),
        SearchParams(nuts=["NL41"], kinds=["organisation"], open_to_partnership=True),
        SearchParams(kinds=["organisation", "course"], types=["sme"]),
    ],
    ids=["nothing", "kind+class", "scope+country+theme+trl", "nuts+open", "types"],
)
def test_facet_counts_equal_the_true_counts(records, params):
    # when searching with facets for everything
    params = dataclasses.replace(params, facet_size=200)
    results = catalogue_search(params=params)
    # then: the total is the number of matching records ...
    assert results.total == sum(_matches(record, params) for record in records)
    # ... and every facet's buckets are exactly the true counts
    assert set(results.facets) == set(FACETS)
    for facet, buckets in results.facets.items():
        counted = {bucket.value: bucket.count for bucket in buckets}
        assert counted == _true_counts(records, params, facet), facet


def test_a_facet_count_is_the_total_after_choosing_it(records):
    # given a search with one class chosen
    params = SearchParams(kinds=["project"], ai_act_classes=["high"])
    results = catalogue_search(params=params)
    # when each class bucket is chosen instead
    for bucket in results.facets["ai_act_classes"]:
        chosen = dataclasses.replace(params, ai_act_classes=[bucket.value], facets=())
        # then the total equals the count the bucket promised
        assert catalogue_search(params=chosen).total == bucket.count
        assert bucket.selected == (bucket.value == "high")


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(size=7),
        SearchParams(size=7, text="data"),
        SearchParams(size=7, sort="newest"),
        SearchParams(size=7, sort="title"),
        SearchParams(size=7, sort="distance", near=GeoPoint(51.4416, 5.4697)),
        SearchParams(size=100, kinds=["project"]),
    ],
    ids=["relevance", "text", "newest", "title", "distance", "one-page"],
)
def test_search_after_pages_through_everything_exactly_once(records, params):
    # given the total of the search
    params = dataclasses.replace(params, facets=())
    first = catalogue_search(params=params)
    # when following the cursor to the end
    seen = [hit.id for hit in first.hits]
    cursor, pages = first.next_cursor, 1
    while cursor:
        page = catalogue_search(params=dataclasses.replace(params, after=cursor))
        assert page.total == first.total
        seen += [hit.id for hit in page.hits]
        cursor, pages = page.next_cursor, pages + 1
    # then every record came exactly once, in the expected number of pages
    assert len(seen) == len(set(seen)) == first.total
    assert pages == max(1, -(-first.total // params.size))
    if params.text == "" and not params.kinds:
        assert set(seen) == {record["id"] for record in records}


def test_a_cursor_only_fits_its_own_sort_order(records):
    # given a cursor from a search by title
    cursor = catalogue_search(params=SearchParams(size=3, sort="title")).next_cursor
    # then it is refused for another order, and garbage is refused
    with pytest.raises(SearchParamsInvalid, match="another sort order"):
        catalogue_search(params=SearchParams(size=3, after=cursor))
    with pytest.raises(SearchParamsInvalid, match="malformed cursor"):
        catalogue_search(params=SearchParams(size=3, after="not a cursor"))


def test_size_zero_gives_counts_only(records):
    # when a statistics page asks for counts per level, kind and class
    results = catalogue_search(
        params=SearchParams(size=0, facets=("levels", "kinds", "ai_act_classes"))
    )
    # then no hits, no cursor, the total and the facets
    assert (results.hits, results.next_cursor, results.total) == ([], None, 84)
    assert sum(bucket.count for bucket in results.facets["kinds"]) == 84
    assert set(results.facets) == {"levels", "kinds", "ai_act_classes"}


def test_the_scopes_facet_counts_each_hubs_subtree(records):
    # when narrowing to the Dutch national hub
    results = catalogue_search(params=SearchParams(scope="nl", facets=("scopes",)))
    counts = {bucket.value: bucket.count for bucket in results.facets["scopes"]}
    # then every hub in the paths counts its subtree, and "nl" is selected
    assert counts["nl"] == counts["eu"] == results.total
    assert counts["nl-nb"] == sum(
        1 for record in records if "nl-nb" in record["originPath"]
    )
    assert [b.value for b in results.facets["scopes"] if b.selected] == ["nl"]
