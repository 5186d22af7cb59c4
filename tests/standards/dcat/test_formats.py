"""Content negotiation of the catalogue's serialisations."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from standards.dcat.formats import JSON_LD, RDF_XML, TURTLE, format_negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, TURTLE),
        ("", TURTLE),
        ("  ", TURTLE),
        ("*/*", TURTLE),
        ("application/rdf+xml, application/ld+json", RDF_XML),
        ("application/ld+json, application/rdf+xml", JSON_LD),
        ("application/rdf+xml;q=1, application/ld+json;q=0.99", RDF_XML),
        ("application/rdf+xml;q=0.5, application/ld+json;q=0.9", JSON_LD),
        ("text/turtle;q=0.1, application/rdf+xml;q=0.3, */*;q=0.2", RDF_XML),
        ("application/ld+json;q=0.4, */*;q=0.5", TURTLE),
        ("text/*;q=0.2, application/rdf+xml;q=0.3", RDF_XML),
        ("TEXT/TURTLE", TURTLE),
        ("text/turtle;q=0", None),
        ("text/turtle;q=0, */*;q=0.1", JSON_LD),
        ("*/*, TEXT/Turtle; q=0", JSON_LD),
        ("image/png", None),
    ],
)
def test_the_best_acceptable_format_is_chosen(accept, chosen):
    # Given a request with that Accept header (None: no header at all)
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = RequestFactory().get("/catalog", **headers)

    # When the format is negotiated, then the preferred acceptable one wins
    assert format_negotiate(request) is chosen
