"""The RDF serialisations the catalogue is served in, and content negotiation."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.http.request import MediaType
from rdflib import Graph

from standards.dcat.graph import PREFIXES


@dataclass(frozen=True)
class RdfFormat:
    """One serialisation: its media type, file suffix and rdflib format name."""

    media_type: str
    suffix: str
    rdflib_name: str

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


TURTLE = RdfFormat("text/turtle", "ttl", "turtle")
JSON_LD = RdfFormat("application/ld+json", "jsonld", "json-ld")
RDF_XML = RdfFormat("application/rdf+xml", "rdf", "xml")
# The first is the default for */* (and for clients that send no Accept); on
# equal quality the client's first listed wins.
FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, RDF_XML)
FORMAT_BY_SUFFIX = {rdf_format.suffix: rdf_format for rdf_format in FORMATS}
FORMAT_BY_MEDIA_TYPE = {rdf_format.media_type: rdf_format for rdf_format in FORMATS}
JSON_LD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def format_negotiate(request: HttpRequest) -> RdfFormat | None:
    """The format the request's Accept header prefers, or None when none is
    acceptable. Django ranks the media ranges by quality, then specificity
    (``text/turtle`` over ``text/*`` over ``*/*``); a blank header means any."""
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return FORMATS[0]
    # Django drops "q=0" ranges, so "*/*, text/turtle;q=0" would still pick
    # Turtle: a type refused by name is not offered.
    refused = {
        str(media_range).split(";")[0]
        for media_range in map(MediaType, accept.split(","))
        if media_range.quality == 0
    }
    offered = [f.media_type for f in FORMATS if f.media_type not in refused]
    media_type = request.get_preferred_type(offered)
    return FORMAT_BY_MEDIA_TYPE.get(media_type) if media_type else None


def graph_serialize(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """The graph in ``rdf_format`` as UTF-8 (JSON-LD compacted with the
    catalogue's prefixes, so it reads like the Turtle)."""
    if rdf_format is JSON_LD:
        text = graph.serialize(
            format="json-ld", context=JSON_LD_CONTEXT, auto_compact=True, indent=2
        )
    else:
        text = graph.serialize(format=rdf_format.rdflib_name)
    return text.encode("utf-8")
