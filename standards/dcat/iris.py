"""IRIs from record data, safe for every RDF serialisation.

A record's URL or e-mail may hold characters an IRI must not (``{ } | ^ " < >``,
a space, a backslash, a back-tick, control characters), and rdflib refuses to
write such an IRI to Turtle: one record would break the whole catalogue page.
Each such character is percent-encoded (what an IRI allows, non-ASCII letters
included, is kept); what still is no absolute IRI (no scheme) is dropped with a
log line naming the record.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

logger = logging.getLogger(__name__)

# Characters RFC 3987 allows nowhere in an IRI (and control characters).
_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
# A "%" that does not start a percent-encoded octet.
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# A scheme (RFC 3986); bounded, so no input makes the pattern search long.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}:")
MAX_LENGTH = 2000


def _encoded(text: str) -> str:
    text = _LONE_PERCENT.sub("%25", text)
    return _FORBIDDEN.sub(lambda match: quote(match.group(), safe=""), text)


def iri_of(value: object, *, record_id: str, field: str) -> URIRef | None:
    """``value`` as an absolute IRI, its forbidden characters percent-encoded;
    None (and a warning) when it is no usable IRI."""
    text = str(value or "").strip()
    if not text:
        return None
    iri = _encoded(text)
    if len(iri) > MAX_LENGTH or not _SCHEME.match(iri):
        logger.warning(
            "DCAT: %s of record %s is no absolute IRI, left out: %r",
            field,
            record_id,
            text[:200],
        )
        return None
    return URIRef(iri)


def mailto_of(email: object, *, record_id: str) -> URIRef | None:
    """The ``mailto:`` IRI of an e-mail address, forbidden characters encoded."""
    text = str(email or "").strip()
    if not text:
        return None
    return iri_of(f"mailto:{text}", record_id=record_id, field="contact e-mail")


def typed_add(
    graph: Graph, subject: URIRef, predicate: URIRef, uri: str | None, kind: URIRef
) -> None:
    """``subject predicate <uri>`` and ``<uri> a kind``; nothing when no URI (or
    none that is an IRI: vocabulary URIs may end in a record's free text)."""
    iri = iri_of(uri, record_id=str(subject), field=str(predicate))
    if iri is None:
        return
    graph.add((subject, predicate, iri))
    graph.add((iri, RDF.type, kind))
