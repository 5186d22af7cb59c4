"""Which records go to the algorithm register: this hub's own published
projects (federated projects belong to the register entries of their hubs)."""

from __future__ import annotations

from django.db.models import QuerySet

from cms.models import ProjectIndexPage, ProjectPage
from federation.models import StoredRecord
from hubs.identity import hub_identity


def own_project_records() -> QuerySet[StoredRecord]:
    """This hub's published projects, first published first (a stable order for
    paging: republishing does not move a project)."""
    return StoredRecord.objects.filter(
        kind="project",
        deleted=False,
        origin=hub_identity().slug,
        received_from="",
    ).order_by("pk")


def own_project_record_get(*, record_id: str) -> StoredRecord | None:
    """One of this hub's published projects, or None (unknown, withdrawn,
    federated or not a project)."""
    return own_project_records().filter(record_id=record_id).first()


def project_index_get() -> ProjectIndexPage | None:
    """The hub's project index page, where imported projects are created."""
    return ProjectIndexPage.objects.first()


def project_page_by_key(*, key: str) -> ProjectPage | None:
    """The project page imported from the register entry with ``key``."""
    return ProjectPage.objects.filter(register_key=key).order_by("pk").first()
