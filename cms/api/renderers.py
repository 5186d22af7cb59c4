"""Renderers of the API beyond JSON: schema.org JSON-LD (``application/ld+json``).

JSON-LD is JSON, so the renderer is DRF's JSON renderer with its own media type
and format: content negotiation picks it for ``Accept: application/ld+json``
and the ``.jsonld`` route uses it alone.
"""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class JsonLdRenderer(JSONRenderer):
    """schema.org JSON-LD objects (``cms.jsonld.record_jsonld``)."""

    media_type = "application/ld+json"
    format = "jsonld"
