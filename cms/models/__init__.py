"""Wagtail page models of a hub.

The tree of one hub's site::

    HubHomePage
    ├── ProjectIndexPage ── ProjectPage (partners, datasets, funding_lines,
    │                                    impact_assessments, lawful_basis_links,
    │                                    source_data_links: inline rows)
    ├── DatasetIndexPage ── DatasetPage (distributions: inline rows)
    ├── CourseIndexPage ─── CoursePage
    └── OrganisationIndexPage ── OrganisationPage

Every detail page is a ``HubPage``: publishing it writes its record to the
catalogue (``cms.services.page_record_publish``), the body built by
``cms.mapping.body_from_page``.
"""

from cms.models.base import ContactFields, HubIndexPage, HubPage
from cms.models.course import CourseIndexPage, CoursePage
from cms.models.dataset import DatasetDistribution, DatasetIndexPage, DatasetPage
from cms.models.home import HubHomePage
from cms.models.organisation import OrganisationIndexPage, OrganisationPage
from cms.models.project import ProjectIndexPage, ProjectPage
from cms.models.project_parts import (
    ProjectDataset,
    ProjectFunding,
    ProjectImpactAssessment,
    ProjectLawfulBasisLink,
    ProjectPartner,
    ProjectSourceDataLink,
)

RECORD_PAGE_MODELS: tuple[type[HubPage], ...] = (
    ProjectPage,
    DatasetPage,
    CoursePage,
    OrganisationPage,
)

__all__ = [
    "RECORD_PAGE_MODELS",
    "ContactFields",
    "CourseIndexPage",
    "CoursePage",
    "DatasetDistribution",
    "DatasetIndexPage",
    "DatasetPage",
    "HubHomePage",
    "HubIndexPage",
    "HubPage",
    "OrganisationIndexPage",
    "OrganisationPage",
    "ProjectDataset",
    "ProjectFunding",
    "ProjectImpactAssessment",
    "ProjectIndexPage",
    "ProjectLawfulBasisLink",
    "ProjectPage",
    "ProjectPartner",
    "ProjectSourceDataLink",
]
