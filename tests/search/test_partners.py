"""The partner finder on the real OpenSearch node: local first, then wider."""

import pytest

from search.engine import search_engine
from search.partners import partners_find
from search.types import SearchParamsInvalid
from tests.search.corpus import PLACES, index_all, tombstone, wire

EINDHOVEN = (PLACES["eindhoven"].lat, PLACES["eindhoven"].lon)


def _organisation(name: str, place: str, **body) -> dict:
    return wire(
        kind="organisation",
        hub="nl",
        name=name,
        type=body.pop("type", "sme"),
        technologies=body.pop("technologies", ["computer vision"]),
        location=PLACES[place].location(),
        **body,
    )


@pytest.fixture(scope="module")
def network(search_alias):
    """Computer-vision organisations at growing distances from Eindhoven."""
    organisations = {
        "veldhoven": _organisation("Beeldwerk", "veldhoven"),
        "helmond": _organisation("Zichtbaar", "helmond", openToPartnership=True),
        "tilburg": _organisation("Kijkdoos", "tilburg"),
        "den-bosch": _organisation("Camerabouw", "den-bosch", type="company"),
        "amsterdam": _organisation("Grachtvision", "amsterdam"),
        "leuven": _organisation("Leuvense Visie", "leuven"),
        "munich": _organisation("Münchner Sehen", "munich"),
        # not a match: other expertise, or not an organisation, or deleted
        "bakery": _organisation(
            "Bakkerij", "eindhoven", technologies=["bread"], description="Brood"
        ),
    }
    gone = _organisation("Opgeheven", "eindhoven")
    project = wire(
        kind="project",
        hub="nl",
        name="Computer vision voor verkeer",
        technologies=["computer vision"],
        partners=[
            {"organisation": organisations["helmond"]["id"], "role": "coordinator"},
            {"organisation": organisations["munich"]["id"], "role": "partner"},
        ],
    )
    index_all(
        search_engine(), [*organisations.values(), gone, tombstone(gone), project]
    )
    return {**organisations, "project": project}


def _found(network, results):
    names = {record["id"]: name for name, record in network.items()}
    return [(names[m.organisation.id], m.found_at, m.area) for m in results.matches]


def test_local_matches_come_first_and_the_search_widens_until_enough(network):
    # when looking for 4 computer-vision partners near Eindhoven
    results = partners_find(need="computer vision", near=EINDHOVEN, minimum=4)
    # then: 15 km first (Veldhoven, Helmond), then Noord-Brabant; Tilburg and
    # Den Bosch both match there, the best match first, ties by distance
    assert _found(network, results) == [
        ("veldhoven", "local", "15 km"),
        ("helmond", "local", "15 km"),
        ("tilburg", "regional", "NL41"),
        ("den-bosch", "regional", "NL41"),
    ]
    assert [(s.level, s.area, s.total) for s in results.steps] == [
        ("local", "15 km", 2),
        ("regional", "NL41", 2),
    ]


def test_every_level_is_labelled_when_the_search_reaches_the_eu(network):
    # when asking for more than the country holds
    results = partners_find(need="computer vision", near=EINDHOVEN, minimum=10)
    # then each organisation once, labelled where it was found
    assert [(name, level) for name, level, _ in _found(network, results)] == [
        ("veldhoven", "local"),
        ("helmond", "local"),
        ("tilburg", "regional"),
        ("den-bosch", "regional"),
        ("amsterdam", "national"),
        ("leuven", "eu"),
        ("munich", "eu"),
    ]
    assert [(s.level, s.total) for s in results.steps] == [
        ("local", 2),
        ("regional", 2),
        ("national", 1),
        ("eu", 2),
    ]
    distances = [m.organisation.distance_km for m in results.matches]
    assert distances[:2] == pytest.approx([5.26, 13.64], abs=0.01)


def test_a_nuts_region_alone_sets_the_steps(network):
    # when the place is given as a NUTS 3 region (the hub's own, say)
    results = partners_find(need="computer vision", nuts="NL413", minimum=5)
    found = _found(network, results)
    # then the municipality step is that region, then Noord-Brabant, then NL
    assert found[0] == ("den-bosch", "local", "NL413")
    assert sorted(found[1:4]) == [
        ("helmond", "regional", "NL41"),
        ("tilburg", "regional", "NL41"),
        ("veldhoven", "regional", "NL41"),
    ]
    assert found[4] == ("amsterdam", "national", "NL")


def test_organisations_come_with_their_projects(network):
    # when
    results = partners_find(
        need="computer vision", near=EINDHOVEN, minimum=10, open_only=True
    )
    # then only Helmond is open to partnership, and it coordinates the project
    (match,) = results.matches
    assert match.organisation.id == network["helmond"]["id"]
    assert [(p.id, p.title, p.role) for p in match.projects] == [
        (network["project"]["id"], "Computer vision voor verkeer", "coordinator")
    ]


def test_types_narrow_and_no_place_means_the_whole_eu(network):
    # when looking for companies only, without a place
    results = partners_find(need="computer vision", types=("company",))
    # then
    assert _found(network, results) == [("den-bosch", "eu", None)]
    assert [(s.level, s.total) for s in results.steps] == [("eu", 1)]


def test_bad_input_is_refused():
    with pytest.raises(SearchParamsInvalid, match="need"):
        partners_find(need=" ")
    with pytest.raises(SearchParamsInvalid, match="minimum"):
        partners_find(need="vision", minimum=0)
    with pytest.raises(SearchParamsInvalid, match="is not a NUTS code"):
        partners_find(need="vision", nuts="brabant")
    with pytest.raises(SearchParamsInvalid, match="not a point"):
        partners_find(need="vision", near=(95, 0))
