"""Record codes → the URIs of the EU Vocabularies, NUTS, IANA and SPDX."""

from __future__ import annotations

import pytest

from federation.vocabularies import licences
from hubs.nuts import nuts_country, nuts_regions
from standards.dcat.vocabularies import (
    EU_LICENCES,
    country_uri,
    file_type_code,
    frequency_uri,
    language_uri,
    licence_uri,
    media_type_uri,
    nuts_uri,
)

EU = "http://publications.europa.eu/resource/authority"


@pytest.mark.parametrize(
    ("spdx", "uri"),
    [
        ("CC-BY-4.0", f"{EU}/licence/CC_BY_4_0"),
        ("CC0-1.0", f"{EU}/licence/CC0"),
        ("ODbL-1.0", f"{EU}/licence/ODC_BL"),
        ("EUPL-1.2", f"{EU}/licence/EUPL_1_2"),
        ("GPL-3.0-or-later", f"{EU}/licence/GPL_3_0_OR_LATER"),
        ("CDLA-Permissive-2.0", "https://spdx.org/licenses/CDLA-Permissive-2.0"),
        ("BSD-4-Clause", "https://spdx.org/licenses/BSD-4-Clause"),
    ],
)
def test_a_licence_is_the_eu_table_uri_where_there_is_one(spdx, uri):
    assert licence_uri(spdx) == uri


def test_every_licence_mapped_is_in_the_hubs_list():
    # the map names only licences editors can choose
    assert set(EU_LICENCES) <= set(licences())


def test_every_nuts_country_has_an_eu_country_uri():
    # given the countries NUTS covers (EL is Greece, UK the United Kingdom)
    countries = {nuts_country(code) for code in nuts_regions()}
    # then each maps to an alpha-3 URI
    assert {c: country_uri(c) for c in countries if country_uri(c) is None} == {}
    assert country_uri("NL") == f"{EU}/country/NLD"
    assert country_uri("GR") == f"{EU}/country/GRC"
    assert country_uri("ZZ") is None


@pytest.mark.parametrize(
    ("code", "uri"),
    [("nl", f"{EU}/language/NLD"), ("en", f"{EU}/language/ENG"),
     ("el", f"{EU}/language/ELL"), ("xx", None)],
)  # fmt: skip
def test_a_language_is_the_eu_language_uri(code, uri):
    assert language_uri(code) == uri


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("monthly", "MONTHLY"),
        ("  Monthly ", "MONTHLY"),
        ("MONTHLY", "MONTHLY"),
        ("maandelijks", "MONTHLY"),
        ("Twice a year", "ANNUAL_2"),
        ("yearly", "ANNUAL"),
        ("real-time", "UPDATE_CONT"),
        ("Never (a one-off dataset)", "NEVER"),
        ("when we feel like it", None),
        ("every 3 weeks", None),
    ],
)
def test_frequency_text_maps_only_when_it_names_a_frequency(text, code):
    assert frequency_uri(text) == (f"{EU}/frequency/{code}" if code else None)


@pytest.mark.parametrize(
    ("fmt", "media_type", "code"),
    [
        ("CSV", None, "CSV"),
        ("csv", None, "CSV"),
        ("JSON-LD", None, "JSON_LD"),
        ("RDF/XML", None, "RDF_XML"),
        ("Turtle", None, "RDF_TURTLE"),
        (None, "application/geo+json", "GEOJSON"),
        ("spreadsheet", "text/csv", "CSV"),
        ("spreadsheet", None, None),
        (None, "application/x-unknown", None),
    ],
)
def test_a_file_type_comes_from_the_format_or_the_media_type(fmt, media_type, code):
    assert file_type_code(fmt, media_type) == code


def test_nuts_and_media_types_are_uris():
    assert nuts_uri("NL414") == "http://data.europa.eu/nuts/code/NL414"
    assert media_type_uri("Text/CSV") == (
        "https://www.iana.org/assignments/media-types/text/csv"
    )
