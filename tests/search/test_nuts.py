"""NUTS codes, their ancestors and the shipped NUTS 2021 list (hubs.nuts)."""

import pytest

from hubs.nuts import (
    country_nuts,
    nuts_ancestors,
    nuts_children,
    nuts_country,
    nuts_level,
    nuts_nearest,
    nuts_region,
    nuts_regions,
)


@pytest.mark.parametrize(
    ("code", "ancestors"),
    [
        ("NL414", ["NL", "NL4", "NL41", "NL414"]),
        ("NL41", ["NL", "NL4", "NL41"]),
        ("NL4", ["NL", "NL4"]),
        ("NL", ["NL"]),
        ("BE10Z", ["BE", "BE1", "BE10", "BE10Z"]),  # extra-regio: prefix rule holds
    ],
)
def test_ancestors_are_the_prefixes_top_first(code, ancestors):
    # when / then
    assert nuts_ancestors(code) == ancestors
    assert nuts_level(code) == len(ancestors) - 1


@pytest.mark.parametrize("code", ["", "nl414", "N", "NL4145", "NL-41", None])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ValueError, match="is not a NUTS code"):
        nuts_ancestors(code)


def test_the_shipped_list_holds_nuts_2021_with_label_points():
    # given the list shipped with the project
    regions = nuts_regions()
    # then: 2,010 regions at levels 0-3
    assert len(regions) == 2010
    assert {region.level for region in regions.values()} == {0, 1, 2, 3}
    brabant = nuts_region("NL41")
    assert (brabant.name, brabant.level, brabant.parent) == ("Noord-Brabant", 2, "NL4")
    assert (brabant.lat, brabant.lon) == (51.5461, 5.4595)
    assert nuts_region("XX999") is None
    assert [region.code for region in nuts_children("NL41")] == [
        "NL411",
        "NL412",
        "NL413",
        "NL414",
    ]


def test_country_codes_map_between_nuts_and_iso():
    assert (nuts_country("EL30"), nuts_country("UKI"), nuts_country("NL414")) == (
        "GR",
        "GB",
        "NL",
    )
    assert (country_nuts("GR"), country_nuts("GB"), country_nuts("NL")) == (
        "EL",
        "UK",
        "NL",
    )
    assert nuts_region("EL30").country == "GR"


def test_nearest_region_by_label_point():
    # given points in Eindhoven and 's-Hertogenbosch
    # when / then
    assert nuts_nearest(lat=51.4416, lon=5.4697, level=3).code == "NL414"
    assert nuts_nearest(lat=51.6978, lon=5.3037, level=3).code == "NL413"
    assert nuts_nearest(lat=51.6978, lon=5.3037, level=2).code == "NL41"
    # restricted to a country, the nearest Belgian region wins
    assert nuts_nearest(lat=51.4416, lon=5.4697, level=0, country="BE").code == "BE"
