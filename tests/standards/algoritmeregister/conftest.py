"""Fixtures of the algorithm register tests."""

import pytest

from cms.models import ProjectPage
from standards.algoritmeregister.services import algoritmeregister_import
from tests.cms.factories import hub_home
from tests.standards.algoritmeregister.helpers import REGISTER_1_0, entries


@pytest.fixture
def published_register(db) -> dict[str, ProjectPage]:
    """The 1.0 fixture entries imported, then confirmed and published by a
    coordinator (the AI Act class is theirs to confirm), by name."""
    hub_home()
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    pages = {}
    for page in ProjectPage.objects.all():
        draft = page.get_latest_revision_as_object()
        draft.ai_act_class = draft.risk_suggestion.ai_act_class
        draft.save_revision().publish()
        pages[page.title] = ProjectPage.objects.get(pk=page.pk)
    return pages
