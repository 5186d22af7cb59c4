"""Controlled vocabularies of the record contract, held as data rather than free text.

The record schema (``federation.records``) owns its codes: its allowed values are
derived from these lists, and cms, search and standards read labels from here.

Closed lists fixed by a law or a standard (AI Act classes, Annex III areas, EU data
themes, EQF levels, ...) are Django ``TextChoices``/``IntegerChoices`` in code: they
change only with the standard, their values are the record's wire values, and their
labels are translatable. Longer lists that grow with use ship as data files:
licences (``data/spdx_licences.csv``) here and NUTS regions in ``hubs.nuts``.

They are deliberately not snippets: every hub of the federation must use the same
codes, so they ship with the code instead of living in each hub's database.
"""

from federation.vocabularies.ai import (
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
from federation.vocabularies.catalogue import (
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
from federation.vocabularies.envelope import HUB_LEVELS, KIND_PLURALS, HubLevel, Kind
from federation.vocabularies.learning import (
    CourseMode,
    EqfLevel,
    IscedField,
    Language,
    SchoolLevel,
    TargetGroup,
)
from federation.vocabularies.organisations import (
    HELIX_OF_TYPE,
    EdihService,
    Helix,
    OrganisationType,
    SizeClass,
)
from federation.vocabularies.places import (
    country_choices,
    country_name,
    country_of_nuts,
    nuts_codes_validate,
    nuts_label,
)
from federation.vocabularies.spdx import (
    Licence,
    licence_choices,
    licence_validate,
    licences,
)

__all__ = [
    "HELIX_OF_TYPE",
    "HUB_LEVELS",
    "KIND_PLURALS",
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
    "HubLevel",
    "HumanInfluence",
    "ImpactAssessmentType",
    "ImpactLevel",
    "IscedField",
    "Kind",
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
    "country_name",
    "country_of_nuts",
    "data_theme_uri",
    "frequency_uri",
    "licence_choices",
    "licence_validate",
    "licences",
    "nuts_codes_validate",
    "nuts_label",
]
