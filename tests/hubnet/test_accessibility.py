"""axe-core in a real browser on the pages visitors and editors use most: home,
search, partners, statistics, a record page and the Wagtail editor of a project.
No page may have a serious or critical violation.

The editor is Wagtail's markup: a violation there that our code cannot change is
allowed by rule and element only (``WAGTAIL_ALLOWED``), never by rule alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.browsing import axe_violations, chromium, violations_text, visitor_page
from tests.cms.factories import high_risk_project, hub_home, logged_in, user_in
from tests.search.conftest import search_alias
from tests.search.faces import face_corpus_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["chromium", "search_alias"]

# (rule id, CSS selector) pairs inside Wagtail's own editor markup, with why.
WAGTAIL_ALLOWED: tuple[tuple[str, str], ...] = (
    # Draftail (Wagtail's rich-text editor, a React component) renders its
    # contenteditable role="textbox" without aria-label(ledby): the field's
    # <label for> points at the hidden input Wagtail submits, and Wagtail 8.0.1
    # gives the component no label. The element is built by Wagtail's
    # JavaScript, not by a template of ours; the fix belongs in Wagtail.
    ("aria-input-field-name", ".public-DraftEditor-content"),
)


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


@pytest.fixture
def site(corpus) -> dict[str, Any]:
    """The hub's home page and a published high-risk project; their paths."""
    home = hub_home()
    home.intro = "<p>The AI hub of the city region.</p>"
    home.save_revision().publish()
    project = high_risk_project(
        publish=True,
        country="NL",
        description="<p>A car with cameras reads number plates.</p>",
    )
    return {"project": project}


PUBLIC_PAGES = {
    "home": lambda site: "/",
    "search": lambda site: "/search/?text=traffic",
    "partners": lambda site: "/search/partners/?need=computer+vision&nuts=NL413",
    "statistics": lambda site: "/search/statistics/",
    "record": lambda site: site["project"].url,
}


def test_the_check_finds_violations_and_allows_only_the_named_element(chromium):
    # given a page with an unlabelled field, an image without text and no lang
    page = visitor_page(chromium)
    page.set_content(
        "<!DOCTYPE html><html><head><title>t</title></head><body><main>"
        '<img src="data:," class="photo"><input class="one"><input class="two">'
        "</main></body></html>"
    )
    # when axe checks it, allowing the label rule on the first field only
    violations = axe_violations(page, allowed=[("label", ".one")])
    # then the other violations are reported, with rule, impact and element
    found = sorted((v["id"], v["impact"], v["target"]) for v in violations)
    assert found == [
        ("html-has-lang", "serious", "html"),
        ("image-alt", "critical", "img"),
        ("label", "critical", ".two"),
    ]
    assert "image-alt (critical) at img: Fix any" in violations_text(violations)


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
@pytest.mark.parametrize("language", ["en-GB", "nl"])
def test_public_pages_have_no_serious_violations(
    name, language, site, live_server, chromium
):
    # given a visitor's browser on one of the public pages
    page = visitor_page(chromium, language=language)
    page.goto(live_server.url + PUBLIC_PAGES[name](site))
    page.wait_for_load_state("networkidle")
    # when axe checks it, then nothing serious or critical is found
    violations = axe_violations(page)
    assert violations == [], violations_text(violations)


@pytest.fixture
def editor_session() -> str:
    """The session cookie of a logged-in member of the Editors group."""
    client = logged_in(user_in("Editors", username="eddie"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_project_editor_has_no_serious_violations(
    site, editor_session, live_server, chromium
):
    # given an editor logged in (the session cookie of a real login)
    page = visitor_page(chromium)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": editor_session,
                "url": live_server.url,
            }
        ]
    )
    # when the editor opens a project in Wagtail's page editor
    page.goto(f"{live_server.url}/admin/pages/{site['project'].pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form#page-edit-form").count() == 1
    # then axe finds nothing serious or critical outside WAGTAIL_ALLOWED
    violations = axe_violations(page, allowed=WAGTAIL_ALLOWED)
    assert violations == [], violations_text(violations)
