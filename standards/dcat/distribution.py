"""One distribution of a dataset in the DCAT-AP graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from federation.vocabularies import MEDIA_TYPES
from standards.dcat.iris import iri_of, typed_add
from standards.dcat.vocabularies import (
    file_type_code,
    file_type_uri,
    licence_uri,
    media_type_uri,
)


def distribution_add(
    graph: Graph,
    dataset: URIRef,
    item: Mapping[str, Any],
    *,
    uri: str,
    licence: Any,
    record_id: str,
) -> None:
    """A ``dcat:Distribution`` of ``dataset`` at ``uri``: access and download
    URLs, format, media type, size, licence (none without an access URL)."""
    access = iri_of(item.get("accessUrl"), record_id=record_id, field="accessUrl")
    if access is None:  # DCAT-AP requires one: no distribution without it
        return
    distribution = URIRef(uri)
    graph.add((dataset, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.accessURL, access))
    download = iri_of(item.get("downloadUrl"), record_id=record_id, field="downloadUrl")
    if download is not None:
        graph.add((distribution, DCAT.downloadURL, download))
    code = file_type_code(item.get("format"), item.get("mediaType"))
    if code:
        typed_add(
            graph,
            distribution,
            DCTERMS.format,
            file_type_uri(code),
            DCTERMS.MediaTypeOrExtent,
        )
    media_type = item.get("mediaType") or (MEDIA_TYPES.get(code) if code else None)
    if media_type:
        typed_add(
            graph,
            distribution,
            DCAT.mediaType,
            media_type_uri(media_type),
            DCTERMS.MediaType,
        )
    if item.get("byteSize") is not None:
        graph.add(
            (
                distribution,
                DCAT.byteSize,
                Literal(int(item["byteSize"]), datatype=XSD.nonNegativeInteger),
            )
        )
    if licence:
        typed_add(
            graph,
            distribution,
            DCTERMS.license,
            licence_uri(licence),
            DCTERMS.LicenseDocument,
        )
