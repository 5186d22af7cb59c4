"""Builders for the cms tests: the hub's page tree, record pages, users.

The page tree and the groups come from the cms data migration; ``hub_home()``
builds them again when a test database was flushed.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import (
    CourseIndexPage,
    CoursePage,
    DatasetIndexPage,
    DatasetPage,
    HubHomePage,
    HubPage,
    OrganisationIndexPage,
    OrganisationPage,
    ProjectImpactAssessment,
    ProjectIndexPage,
    ProjectPage,
)

INDEX_MODELS: dict[str, type[Page]] = {
    "project": ProjectIndexPage,
    "dataset": DatasetIndexPage,
    "course": CourseIndexPage,
    "organisation": OrganisationIndexPage,
}
PAGE_MODELS: dict[str, type[HubPage]] = {
    "project": ProjectPage,
    "dataset": DatasetPage,
    "course": CoursePage,
    "organisation": OrganisationPage,
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "project": {
        "title": "Parkeerscan",
        "short_description": "Scan cars to check parking permits.",
        "organisation_name": "Gemeente 's-Hertogenbosch",
        "status": "in-use",
        "ai_act_class": "minimal",
        "nuts_codes": ["NL413"],
        "place": "'s-Hertogenbosch",
    },
    "dataset": {
        "title": "Parkeervergunningen",
        "publisher": "Gemeente 's-Hertogenbosch",
        "access_rights": "public",
        "licence": "CC-BY-4.0",
    },
    "course": {"title": "AI voor beleidsmakers", "provider": "JADS", "mode": "blended"},
    "organisation": {"title": "TU/e", "organisation_type": "knowledge-institution"},
}
HIGH_RISK: dict[str, Any] = {
    "annex_iii_area": "essential-services",
    "ai_act_class": "high",
    "human_intervention": "A case worker checks every outcome.",
    "objection_procedure": "Object within six weeks at the municipal office.",
}


def hub_home() -> HubHomePage:
    """The hub's home page (with its index pages, groups and workflow)."""
    home = HubHomePage.objects.first()
    if home is None:
        setup = importlib.import_module("cms.migrations.0002_hub_tree_groups_workflow")
        for step in ("hub_tree_create", "hub_groups_create", "hub_workflow_create"):
            getattr(setup, step)(apps, None)
        home = HubHomePage.objects.get()
    return home


def index_page(kind: str) -> Page:
    """The index page of ``kind`` under the hub's home page."""
    return hub_home().get_children().type(INDEX_MODELS[kind]).get().specific


def record_page(kind: str, *, publish: bool = False, **fields: Any) -> HubPage:
    """A draft record page of ``kind`` (valid by default), published on request.

    Inline rows are given as lists, e.g. ``impact_assessments=[...]``.
    """
    values = {**DEFAULTS[kind], **fields}
    page = PAGE_MODELS[kind](live=False, **values)
    index_page(kind).add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return PAGE_MODELS[kind].objects.get(pk=page.pk)


def project_page(*, publish: bool = False, **fields: Any) -> ProjectPage:
    return record_page("project", publish=publish, **fields)  # type: ignore[return-value]


def high_risk_project(*, publish: bool = False, **fields: Any) -> ProjectPage:
    """A complete high-risk project: self-check answers, IA, oversight, objection."""
    values: dict[str, Any] = {
        **HIGH_RISK,
        "risk_human_influence": "limited",
        "risk_rights_impact": "high",
        "impact_assessments": [
            ProjectImpactAssessment(
                assessment_type="iama",
                date=dt.date(2025, 1, 15),
                url="https://example.org/iama",
                summary="Risks are acceptable with human review.",
            )
        ],
        **fields,
    }
    return project_page(publish=publish, **values)


def user_in(group_name: str | None, *, username: str, superuser: bool = False) -> User:
    """A user in one of the hub's groups (or none), or a superuser."""
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(user: User | None) -> Client:
    """A test client, logged in as ``user`` unless None."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def edit_form_data(client: Client, page: Page, **changes: Any) -> dict[str, Any]:
    """The page editor's form as the browser would submit it, with ``changes``."""
    return admin_form_data(client, f"/admin/pages/{page.pk}/edit/", **changes)


def admin_form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """The form of the page editor at ``url`` (edit or create) as a browser would
    submit it, with ``changes``."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    form = {key: data.getlist(key) for key in data}
    flat = {
        key: values[0] if len(values) == 1 else values for key, values in form.items()
    }
    # A browser sends "on" for a ticked checkbox without a value attribute.
    soup = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    for box in soup.find_all("input", type="checkbox", checked=True):
        if "value" not in box.attrs:
            flat[box["name"]] = "on"
    flat.update(changes)
    return flat
