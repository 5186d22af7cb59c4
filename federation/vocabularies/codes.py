"""The record schema's allowed values, derived from the vocabularies.

Each alias is ``Literal[<the vocabulary's codes>]``, so pydantic validates exactly
those codes and the GraphQL types (``federation.graphql.bodies``) list them. Type
checkers see ``str``: they cannot read a ``Literal`` built at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Choices

from federation.vocabularies.ai import (
    AiActClass,
    AnnexIIIArea,
    DecisionType,
    FundingProgramme,
    HumanInfluence,
    ImpactAssessmentType,
    ImpactLevel,
    Method,
    ProjectStatus,
    PublicationCategory,
    RightsImpact,
)
from federation.vocabularies.catalogue import AccessRights, PersonalData
from federation.vocabularies.envelope import HubLevel
from federation.vocabularies.learning import CourseMode
from federation.vocabularies.organisations import OrganisationType, SizeClass


def codes_literal(vocabulary: type[Choices]) -> Any:
    """``Literal`` of the codes of ``vocabulary``, in its order."""
    return Literal[tuple(vocabulary.values)]


if TYPE_CHECKING:
    AccessRightsCode = str
    AiActClassCode = str
    AnnexIIIAreaCode = str
    CourseModeCode = str
    DecisionTypeCode = str
    FundingProgrammeCode = str
    HubLevelCode = str
    HumanInfluenceCode = str
    ImpactAssessmentTypeCode = str
    ImpactLevelCode = str
    MethodCode = str
    OrganisationTypeCode = str
    PersonalDataCode = str
    ProjectStatusCode = str
    PublicationCategoryCode = str
    RightsImpactCode = str
    SizeClassCode = str
else:
    AccessRightsCode = codes_literal(AccessRights)
    AiActClassCode = codes_literal(AiActClass)
    AnnexIIIAreaCode = codes_literal(AnnexIIIArea)
    CourseModeCode = codes_literal(CourseMode)
    DecisionTypeCode = codes_literal(DecisionType)
    FundingProgrammeCode = codes_literal(FundingProgramme)
    HubLevelCode = codes_literal(HubLevel)
    HumanInfluenceCode = codes_literal(HumanInfluence)
    ImpactAssessmentTypeCode = codes_literal(ImpactAssessmentType)
    ImpactLevelCode = codes_literal(ImpactLevel)
    MethodCode = codes_literal(Method)
    OrganisationTypeCode = codes_literal(OrganisationType)
    PersonalDataCode = codes_literal(PersonalData)
    ProjectStatusCode = codes_literal(ProjectStatus)
    PublicationCategoryCode = codes_literal(PublicationCategory)
    RightsImpactCode = codes_literal(RightsImpact)
    SizeClassCode = codes_literal(SizeClass)
