"""Content negotiation of the catalogue's serialisations."""

from __future__ import annotations

import pytest

from standards.dcat.formats import JSON_LD, RDF_XML, TURTLE, format_negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", TURTLE),
        ("  ", TURTLE),
        ("*/*", TURTLE),
        ("application/rdf+xml, application/ld+json", JSON_LD),
        ("application/rdf+xml;q=1, application/ld+json;q=0.99", RDF_XML),
        ("text/*;q=0.2, application/rdf+xml;q=0.3", RDF_XML),
        ("TEXT/TURTLE", TURTLE),
        ("text/turtle;q=abc", None),
        ("text/turtle;q=0", None),
        ("image/png", None),
    ],
)
def test_the_best_acceptable_format_is_chosen(accept, chosen):
    assert format_negotiate(accept) is chosen
