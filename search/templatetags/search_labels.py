"""``{{ value|facet_label:"kinds" }}``: a code as its vocabulary label in the
search templates (``search.labels``)."""

from __future__ import annotations

from django import template

from search.labels import area_label as area_label_of
from search.labels import facet_label as label_of

register = template.Library()


@register.filter
def facet_label(value: str | int | bool | None, facet: str) -> str:
    """The label of ``value`` of facet ``facet`` (empty for no value)."""
    if value is None or value == "":
        return ""
    return label_of(facet, value)


@register.filter
def area_label(area: str | None) -> str:
    """Where a partner search step looked (``search.labels.area_label``)."""
    return area_label_of(area) if area else ""
