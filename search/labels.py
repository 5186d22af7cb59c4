"""Facet values as people read them: the codes the index holds ("in-use",
"high", "NL") shown with the vocabulary's translated labels ("In use", "High
risk ...", "Netherlands"), from ``federation.vocabularies``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation.vocabularies import HubLevel, Kind
from federation.vocabularies.labels import code_label
from federation.vocabularies.places import country_name, nuts_label
from search.types import FLAT_FACETS, FacetBucket

# Index fields whose vocabulary has another key in ``code_label``: the ``type``
# facet counts organisation types (no other kind has a top-level type).
_LABEL_KEYS = {
    "language": "languages",
    "fundingProgrammes": "programme",
    "impactAssessmentTypes": "assessmentType",
}
_KIND_OF_FIELD = {"type": "organisation"}


# The facets the search page and the dashboard offer as checkbox lists (the
# search parameter's name: its title), in the order both show them.
FACET_TITLES: dict[str, str | Promise] = {
    "kinds": gettext_lazy("Kind"),
    "levels": gettext_lazy("Level"),
    "countries": gettext_lazy("Country"),
    "ai_act_classes": gettext_lazy("AI Act class"),
    "annex_iii_areas": gettext_lazy("Annex III area"),
    "statuses": gettext_lazy("Status"),
    "themes": gettext_lazy("Themes"),
    "sectors": gettext_lazy("Sectors"),
    "technologies": gettext_lazy("Technologies"),
    "services": gettext_lazy("Services offered"),
    "target_groups": gettext_lazy("Target groups"),
    "modes": gettext_lazy("Mode"),
    "languages": gettext_lazy("Language"),
    "access_rights": gettext_lazy("Access rights"),
    "types": gettext_lazy("Type"),
    "impact_levels": gettext_lazy("Impact on people"),
    "decision_types": gettext_lazy("Decision type"),
    "biometric_data": gettext_lazy("Biometric data"),
    "objection_route": gettext_lazy("Way to object given"),
    "impact_assessments": gettext_lazy("Impact assessments"),
    "publicly_funded": gettext_lazy("Publicly funded"),
    "source_code_published": gettext_lazy("Source code published"),
    "procurement_clauses": gettext_lazy("AI procurement clauses"),
    "funding_programmes": gettext_lazy("Funding programme"),
    "licences": gettext_lazy("Licence"),
    "b2g_sharing": gettext_lazy("Business-to-government sharing"),
    "school_levels": gettext_lazy("School level"),
    "eqf_levels": gettext_lazy("EQF level"),
}


@dataclass(frozen=True)
class LabelledBucket:
    """A facet bucket with the label to show for its value."""

    value: str | int | bool
    count: int
    selected: bool
    label: str


def facet_label(facet: str, value: str | int | bool) -> str:
    """The label of ``value`` of facet ``facet`` (as given when it has none)."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    field = FLAT_FACETS.get(facet, facet)
    return code_label(
        _LABEL_KEYS.get(field, field), value, kind=_KIND_OF_FIELD.get(field)
    )


def badge_labels() -> dict[str, dict[str, str]]:
    """The labels of kinds and levels in the active language, for the result
    cards that ``map.js`` renders from the search API (which gives codes)."""
    return {
        "kinds": {code: str(label) for code, label in Kind.choices},
        "levels": {code: str(label) for code, label in HubLevel.choices},
    }


def buckets_labelled(facet: str, buckets: list[FacetBucket]) -> list[LabelledBucket]:
    """``buckets`` of ``facet`` with their labels, in the same order."""
    return [
        LabelledBucket(
            # A yes/no value as JSON writes it, which the page's script matches.
            value=_json_text(bucket.value),
            count=bucket.count,
            selected=bucket.selected,
            label=facet_label(facet, bucket.value),
        )
        for bucket in buckets
    ]


def area_label(area: str) -> str:
    """Where a partner search step looked, as people read it: a country by its
    name in the active language, a NUTS region by code and name, a radius as
    given ("NL" → "Pays-Bas", "NL41" → "NL41 Noord-Brabant", "15 km");
    alternatives joined by a slash."""
    return " / ".join(
        country_name(part)
        if len(part) == 2 and part.isalpha() and part.isupper()
        else nuts_label(part)
        for part in area.split(" or ")
    )


def _json_text(value: str | int | bool) -> str | int:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
