"""The RDF serialisations the catalogue is served in, and content negotiation."""

from __future__ import annotations

from dataclasses import dataclass

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
# equal quality the earlier one wins.
FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, RDF_XML)
FORMAT_BY_SUFFIX = {rdf_format.suffix: rdf_format for rdf_format in FORMATS}
JSON_LD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def format_negotiate(accept: str) -> RdfFormat | None:
    """The format that best fits an Accept header, or None when none is
    acceptable. Each format takes the quality of the most specific media range
    that matches it (``text/turtle`` over ``text/*`` over ``*/*``, RFC 9110)."""
    ranges = _ranges(accept)
    if not ranges:
        return FORMATS[0]
    best: RdfFormat | None = None
    best_quality = 0.0
    for rdf_format in FORMATS:
        quality = _quality(rdf_format.media_type, ranges)
        if quality > best_quality:
            best, best_quality = rdf_format, quality
    return best


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


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    main = media_type.split("/")[0]
    by_specificity = {media_type: 3, f"{main}/*": 2, "*/*": 1}
    found = [
        (by_specificity[media_range], quality)
        for media_range, quality in ranges
        if media_range in by_specificity
    ]
    return max(found)[1] if found else 0.0
