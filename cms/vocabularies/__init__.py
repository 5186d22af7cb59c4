"""Controlled vocabularies, held as data rather than free text.

Closed lists fixed by a law or a standard (AI Act classes, Annex III areas, EU data
themes, EQF levels, ...) are Django ``TextChoices``/``IntegerChoices`` in code: they
change only with the standard, their values are the record's wire values, and their
labels are translatable. Longer lists that grow with use ship as data files:
licences (``data/spdx_licences.csv``) here and NUTS regions in ``hubs.nuts``.

They are deliberately not snippets: every hub of the federation must use the same
codes, so they ship with the code instead of living in each hub's database.
"""

from cms.vocabularies.ai import (
    AiActClass,
    AnnexIIIArea,
    DecisionType,
    FundingProgramme,
    HumanInfluence,
    ImpactAssessmentType,
    ImpactLevel,
    Method,
    PartnerRole,
    PolicyArea,
    ProjectStatus,
    PublicationCategory,
    RightsImpact,
    TechnologyReadiness,
)
from cms.vocabularies.catalogue import (
    MEDIA_TYPES,
    AccessRights,
    EuDataTheme,
    FileFormat,
    PersonalData,
    UpdateFrequency,
    access_rights_uri,
    data_theme_uri,
    frequency_uri,
)
from cms.vocabularies.learning import (
    CourseMode,
    EqfLevel,
    IscedField,
    Language,
    SchoolLevel,
    TargetGroup,
)
from cms.vocabularies.organisations import (
    HELIX_OF_TYPE,
    EdihService,
    Helix,
    OrganisationType,
    SizeClass,
)
from cms.vocabularies.places import (
    country_choices,
    country_of_nuts,
    nuts_codes_validate,
    nuts_label,
)
from cms.vocabularies.spdx import (
    Licence,
    licence_choices,
    licence_validate,
    licences,
)

__all__ = [
    "HELIX_OF_TYPE",
    "MEDIA_TYPES",
    "AccessRights",
    "AiActClass",
    "AnnexIIIArea",
    "CourseMode",
    "DecisionType",
    "EdihService",
    "EqfLevel",
    "EuDataTheme",
    "FileFormat",
    "FundingProgramme",
    "Helix",
    "HumanInfluence",
    "ImpactAssessmentType",
    "ImpactLevel",
    "IscedField",
    "Language",
    "Licence",
    "Method",
    "OrganisationType",
    "PartnerRole",
    "PersonalData",
    "PolicyArea",
    "ProjectStatus",
    "PublicationCategory",
    "RightsImpact",
    "SchoolLevel",
    "SizeClass",
    "TargetGroup",
    "TechnologyReadiness",
    "UpdateFrequency",
    "access_rights_uri",
    "country_choices",
    "country_of_nuts",
    "data_theme_uri",
    "frequency_uri",
    "licence_choices",
    "licence_validate",
    "licences",
    "nuts_codes_validate",
    "nuts_label",
]
