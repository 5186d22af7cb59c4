"""Labels of the codes in record bodies, from the controlled vocabularies.

Records carry codes (``in-use``, ``TRAN``, ``high``, ``NL``); pages, search
facets, statistics and JSON-LD show their translated labels. A code another hub
sent that is not in this hub's vocabulary is shown as given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from federation.vocabularies import (
    AccessRights,
    AiActClass,
    AnnexIIIArea,
    CourseMode,
    DecisionType,
    EdihService,
    EqfLevel,
    EuDataTheme,
    FileFormat,
    FundingProgramme,
    HubLevel,
    HumanInfluence,
    ImpactAssessmentType,
    ImpactLevel,
    IscedField,
    Kind,
    Language,
    Method,
    OrganisationType,
    PartnerRole,
    PersonalData,
    ProjectStatus,
    PublicationCategory,
    RightsImpact,
    SchoolLevel,
    SizeClass,
    TargetGroup,
    TechnologyReadiness,
    UpdateFrequency,
    country_name,
)

# Vocabularies of wire fields whose values are codes, by wire name. The two
# fields called ``type`` have their own names here.
VOCABULARIES: dict[str, Any] = {
    "kind": Kind,
    "level": HubLevel,
    "aiActClass": AiActClass,
    "annexIiiArea": AnnexIIIArea,
    "status": ProjectStatus,
    "decisionType": DecisionType,
    "methods": Method,
    "themes": EuDataTheme,
    "accessRights": AccessRights,
    "personalData": PersonalData,
    "frequency": UpdateFrequency,
    "mode": CourseMode,
    "targetGroups": TargetGroup,
    "eqfLevel": EqfLevel,
    "iscedField": IscedField,
    "schoolLevel": SchoolLevel,
    "languages": Language,
    "services": EdihService,
    "sizeClass": SizeClass,
    "trl": TechnologyReadiness,
    "programme": FundingProgramme,
    "role": PartnerRole,
    "format": FileFormat,
    "organisationType": OrganisationType,
    "assessmentType": ImpactAssessmentType,
    "publicationCategory": PublicationCategory,
    "humanInfluence": HumanInfluence,
    "rightsImpact": RightsImpact,
    "impactLevel": ImpactLevel,
}
# The vocabulary of a ``type`` field, by record kind.
TYPE_VOCABULARIES: dict[str, str] = {
    "organisation": "organisationType",
    "project": "assessmentType",
}


def code_label(key: str, value: Any, *, kind: str | None = None) -> str:
    """The label of ``value`` of wire field ``key`` (as given when unknown)."""
    name = TYPE_VOCABULARIES.get(kind or "", key) if key == "type" else key
    if name == "country":
        return country_name(str(value))
    vocabulary = VOCABULARIES.get(name)
    if vocabulary is not None:
        try:
            return str(vocabulary(value).label)
        except ValueError:
            pass  # another hub's value: shown as given
    return str(value)


def code_labels(
    key: str, values: Iterable[Any], *, kind: str | None = None
) -> list[str]:
    """The labels of a list field's codes."""
    return [code_label(key, value, kind=kind) for value in values]


def labels(values: Iterable[str], vocabulary: Any) -> list[str]:
    """Labels of codes from ``vocabulary``; unknown codes as given."""
    result = []
    for value in values:
        try:
            result.append(str(vocabulary(value).label))
        except ValueError:
            result.append(str(value))
    return result
