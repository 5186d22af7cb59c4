"""The public site: every page type renders with its JSON-LD, the citizens'
section of projects, the home page, index pages with filters and pages, and
what no page may contain."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import translation

from cms.jsonld import TYPES
from cms.models import (
    DatasetDistribution,
    ProjectDataset,
    ProjectFunding,
    ProjectImpactAssessment,
    ProjectPartner,
)
from federation.models import StoredRecord
from federation.services.store import record_tombstone
from tests.cms.catalogue import federated, own_records
from tests.cms.factories import index_page, record_page
from tests.cms.html import (
    heading_levels,
    jsonld_of,
    scripts_that_run,
    soup_of,
    text_of,
    unlabelled_controls,
)
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db

KINDS = ["project", "dataset", "course", "organisation"]


def full_project(**fields):
    """A published project with every part: partner, dataset, funding, an
    impact assessment, and the transparency fields."""
    organisation = record_page("organisation", publish=True, title="Scan BV")
    dataset = record_page(
        "dataset",
        publish=True,
        distributions=[
            DatasetDistribution(
                access_url="https://example.org/data",
                download_url="https://example.org/data.csv",
                file_format="CSV",
                byte_size=2048,
            )
        ],
    )
    values = {
        "annex_iii_area": "essential-services",
        "ai_act_class": "high",
        "risk_human_influence": "limited",
        "risk_rights_impact": "high",
        "affected_groups": ["residents", "drivers"],
        "decision_type": "predictive",
        "biometric_data": False,
        "human_intervention": "A parking officer checks every scan.",
        "objection_procedure": "Object within six weeks at the city office.",
        "lawful_basis": "Article 225 of the Municipalities Act.",
        "contact_name": "Team Parkeren",
        "contact_email": "parkeren@example.org",
        "themes": ["TRAN"],
        "partners": [ProjectPartner(organisation_page=organisation, role="supplier")],
        "datasets": [ProjectDataset(dataset_page=dataset)],
        "funding_lines": [ProjectFunding(programme="erdf", amount_eur=250000)],
        "impact_assessments": [
            ProjectImpactAssessment(
                assessment_type="iama",
                date=dt.date(2025, 1, 15),
                url="https://example.org/iama",
                summary="Acceptable with human review.",
            )
        ],
        **fields,
    }
    return record_page("project", publish=True, **values), organisation, dataset


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_of_each_kind_renders_with_its_json_ld(client, kind):
    # given a published page of the kind
    page = record_page(kind, publish=True)
    # when it is opened
    response = client.get(page.url)
    # then it renders, with one JSON-LD object of the kind's schema.org type
    assert response.status_code == 200
    (jsonld,) = jsonld_of(response.content)
    assert jsonld["@context"] == "https://schema.org"
    assert jsonld["@type"] == TYPES[kind]
    assert jsonld["name"] == page.title
    assert jsonld["identifier"] in (
        page.record_id,
        [{"@type": "PropertyValue", "propertyID": "hubnet", "value": page.record_id}],
    )
    assert jsonld["@id"] == f"http://127.0.0.1:8000{page.url}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_federated_record_of_each_kind_renders_with_its_json_ld(client, kind):
    record = federated(kind, full=True)
    response = client.get(f"/records/{record.record_id}/")
    assert response.status_code == 200
    (jsonld,) = jsonld_of(response.content)
    assert jsonld["@type"] == TYPES[kind]
    assert jsonld["@id"] == record.url
    html = response.content.decode()
    assert 'data-origin="nl"' in html
    assert f'<a href="{record.url}">View it on the origin hub</a>' in html


@pytest.mark.parametrize("kind", KINDS)
def test_index_pages_and_the_home_page_render(client, kind):
    page = record_page(kind, publish=True)
    index = client.get(index_page(kind).url)
    assert index.status_code == 200
    assert f'href="{page.url}"' in index.content.decode()
    home = client.get("/")
    assert home.status_code == 200
    assert f'href="{page.url}"' in home.content.decode()


def test_a_withdrawn_record_renders_as_gone(client):
    gone = own_records("course", 1)[0]
    record_tombstone(record_id=gone.record_id)
    response = client.get(f"/records/{gone.record_id}/")
    assert response.status_code == 410
    assert "This record was withdrawn" in response.content.decode()
    assert jsonld_of(response.content) == []


def test_the_project_page_explains_the_system_to_citizens(client):
    # given a complete high-risk project
    page, _organisation, _dataset = full_project()
    # when a citizen opens it
    soup = soup_of(client.get(page.url).content)
    # then a labelled region explains it in plain language, from the fields
    section = soup.find("section", id="citizens")
    assert section["aria-labelledby"] == "citizens-heading"
    assert text_of(section.find(id="citizens-heading")) == "How this system affects you"
    assert [text_of(h3) for h3 in section.find_all("h3")] == [
        "Risk under the EU AI Act",
        "Human oversight",
        "How to object",
        "Legal basis",
        "Impact assessments",
        "Questions?",
    ]
    text = text_of(section)
    for sentence in (
        "It affects: residents, drivers.",
        "The system estimates what is likely to happen, for example a risk.",
        "It does not use biometric data.",
        "Under the EU AI Act this is a high-risk system.",
        "A parking officer checks every scan.",
        "Object within six weeks at the city office.",
        "You can always ask Gemeente 's-Hertogenbosch to explain a decision about you",
        "Article 225 of the Municipalities Act.",
        "IAMA: human rights and algorithms impact assessment (Jan. 15, 2025): "
        "Acceptable with human review.",
        "Team Parkeren · parkeren@example.org",
    ):
        assert sentence in text
    # and it comes right after the project's header, before the details
    assert soup.find("h2").get("id") == "citizens-heading"


def test_the_citizens_section_says_what_is_missing(client):
    page = record_page("project", publish=True)
    section = soup_of(client.get(page.url).content).find("section", id="citizens")
    text = text_of(section)
    assert "The organisation has not said whom the system affects." in text
    assert (
        "The organisation has not described who checks the outcomes of this system."
        in text
    )
    assert "The organisation has not described how to object yet." in text
    assert "The EU AI Act sets no specific duties for this system." in text


def test_a_federated_project_has_the_citizens_section_too(client):
    record = federated("project", full=True)
    html = client.get(f"/records/{record.record_id}/").content
    section = soup_of(html).find("section", id="citizens")
    assert "An officer checks every fine." in text_of(section)
    assert "Object within six weeks." in text_of(section)


def test_the_project_page_links_its_partners_and_datasets_by_name(client):
    page, organisation, dataset = full_project()
    html = client.get(page.url).content.decode()
    assert f'<a href="{organisation.url}">Scan BV</a> (Supplier)' in html
    assert f'<a href="{dataset.url}">{dataset.title}</a>' in html
    assert "European Regional Development Fund (ERDF): € 250,000" in html


def test_datasets_and_organisations_list_the_projects_that_use_them(client):
    page, organisation, dataset = full_project()
    for used in (dataset, organisation):
        html = client.get(used.url).content.decode()
        assert f'<a href="{page.url}" lang="en">{page.title}</a>' in html


def test_the_json_ld_of_a_dataset_and_a_course_has_their_parts(client):
    _page, _organisation, dataset = full_project()
    (data,) = jsonld_of(client.get(dataset.url).content)
    assert data["distribution"] == [
        {
            "@type": "DataDownload",
            "contentUrl": "https://example.org/data.csv",
            "url": "https://example.org/data",
            "encodingFormat": "text/csv",
            "contentSize": "2048 B",
        }
    ]
    course = record_page(
        "course",
        publish=True,
        start_date=dt.date(2026, 3, 2),
        workload_hours=12,
        price_eur=0,
    )
    (data,) = jsonld_of(client.get(course.url).content)
    assert data["hasCourseInstance"] == [
        {
            "@type": "CourseInstance",
            "courseMode": "Blended",
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
            "startDate": "2026-03-02",
            "courseWorkload": "PT12H",
        }
    ]
    assert data["offers"]["category"] == "Free"


def test_the_home_page_says_what_the_hub_is(client, settings):
    # given neighbours (one disabled) and records of each kind, own and federated
    NeighbourFactory(
        name="Nederland",
        slug="nl",
        role="parent",
        endpoint_url="https://nl.example.org",
    )
    NeighbourFactory(
        name="Eindhoven",
        slug="eindhoven",
        role="child",
        endpoint_url="https://eindhoven.example.org",
    )
    NeighbourFactory(name="Old hub", slug="old", role="peer", enabled=False)
    for kind in KINDS:
        record_page(kind, publish=True)
        federated(kind)
    # when the home page is opened
    response = client.get("/")
    soup = soup_of(response.content)
    html = response.content.decode()
    # then it shows the hub's level, the newest records of each kind and the
    # neighbours, with public fields only
    facts = text_of(soup.find("dl", class_="hub-facts"))
    assert facts == "Level European hub"
    assert [text_of(h3) for h3 in soup.select(".catalogue h3")] == [
        "Projects (2)",
        "Datasets (2)",
        "Courses (2)",
        "Organisations (2)",
    ]
    assert html.count("from nl</span>") == 4
    neighbours = [text_of(li) for li in soup.select(".neighbours li")]
    assert neighbours == ["Nederland · Parent hub", "Eindhoven · Member hub"]
    assert "outbound-token" not in html
    assert "inbound" not in html


def test_the_home_page_names_the_hubs_region(client, settings):
    from hubs.identity import hub_identity

    settings.HUB_LEVEL, settings.HUB_NUTS, settings.HUB_COUNTRY = (
        "regional",
        "NL41",
        "NL",
    )
    settings.HUB_PATH = ["eu", "nl", "hub"]
    hub_identity.cache_clear()
    try:
        facts = text_of(soup_of(client.get("/").content).find("dl", class_="hub-facts"))
    finally:
        hub_identity.cache_clear()
    assert facts == (
        "Level Regional hub Region NL41 Noord-Brabant Country Netherlands "
        "Part of eu \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} nl"
    )
    # and a Dutch visitor reads the country's Dutch name
    client.cookies["django_language"] = "nl"
    hub_identity.cache_clear()
    try:
        dutch = text_of(soup_of(client.get("/").content).find("dl", class_="hub-facts"))
    finally:
        hub_identity.cache_clear()
        translation.activate(settings.LANGUAGE_CODE)
    assert dutch == (
        "Niveau Regionale hub Regio NL41 Noord-Brabant Land Nederland "
        "Onderdeel van eu \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} nl"
    )


def test_no_script_reaches_a_page_from_a_record_or_a_draft(client):
    hostile = "</script><script>alert(1)</script>"
    # given a stored record that bypassed validation (as a bad peer could)
    record = federated("project")
    body = {
        **record.body,
        "name": hostile,
        "description": f"<p>Hi</p>{hostile}",
        "humanIntervention": hostile,
        "affectedGroups": [hostile],
    }
    StoredRecord.objects.filter(pk=record.pk).update(body=body, title=hostile)
    # and a draft whose title and text carry scripts, previewed by an editor
    draft = record_page(
        "project",
        title=hostile,
        short_description=hostile,
        description=f"<p onclick='x()'>Hi</p>{hostile}",
    )
    pages = [
        client.get(f"/records/{record.record_id}/").content,
        client.get(index_page("project").url).content,
        client.get("/").content,
        draft.make_preview_request().render().content,
    ]
    for html in pages:
        # then no script would run but the site's own static files: JSON-LD data
        # blocks hold JSON, and a <script src="/static/..."> carries no code
        assert [
            script
            for script in scripts_that_run(html)
            if not (
                script.get("src", "").startswith("/static/")
                and not (script.string or "").strip()
            )
        ] == []
        for script in soup_of(html).find_all("script"):
            assert "<" not in (script.string or "")
        jsonld_of(html)
        text = html.decode()
        assert "<script>alert" not in text
        assert "onclick" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_pages_are_structured_for_assistive_technology(client, kind):
    page, *_ = (
        full_project() if kind == "project" else (record_page(kind, publish=True),)
    )
    for url in (page.url, index_page(kind).url, "/", f"/records/{page.record_id}/"):
        html = client.get(url).content
        soup = soup_of(html)
        # the language, the landmarks and a skip link to the main content
        assert soup.html["lang"] == "en"
        assert soup.find("header", role="banner")
        assert soup.find("main", id="main")
        assert soup.find("footer", role="contentinfo")
        assert soup.find("a", class_="skip-link")["href"] == "#main"
        # one h1, and headings that never skip a level
        levels = heading_levels(html)
        assert levels[0] == 1
        assert levels.count(1) == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
        # every form control has a label
        assert unlabelled_controls(html) == []


def test_the_site_speaks_dutch_after_switching(client):
    page, *_ = full_project()
    # when the visitor picks Dutch in the language switcher
    switch = client.post("/i18n/setlang/", {"language": "nl", "next": page.url})
    assert switch.status_code == 302
    assert switch["Location"] == page.url
    soup = soup_of(client.get(page.url).content)
    # then the interface is Dutch, the content keeps its own language
    assert soup.html["lang"] == "nl"
    assert (
        text_of(soup.find(id="citizens-heading")) == "Wat dit systeem voor u betekent"
    )
    assert "Het raakt: residents, drivers." in text_of(soup.find(id="citizens"))
    assert soup.find("h1")["lang"] == "en"
    index = soup_of(client.get(index_page("project").url + "?status=in-use").content)
    assert text_of(index.find("label", attrs={"for": "id_status"})) == "Status:"
    assert text_of(index.select_one(".filters button")) == "Filters toepassen"
    assert text_of(index.find(id="results-heading")) == "1 resultaat"


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Harvested from"),
        ("nl", "Geoogst van"),
        ("fr", "Moissonné depuis"),
        ("de", "Geerntet von"),
    ],
)
def test_a_harvested_dataset_says_where_it_came_from(client, language, label):
    # given a dataset a harvest wrote (its page at the source kept), one written
    # here, and a federated copy of a harvested one (as the EU hub holds it)
    source = "https://portal.example.org/dataset/7"
    harvested = record_page(
        "dataset", publish=True, title="Verkeer", harvested_from=source
    )
    edited = record_page("dataset", publish=True, title="Parkeren")
    copy = federated("dataset", source="https://data.example.be/dataset/ab")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    # when their pages are shown
    pages = [
        soup_of(client.get(url).content)
        for url in (harvested.url, edited.url, f"/records/{copy.record_id}/")
    ]
    # then the harvested one and the copy name their source, linked, in the
    # visitor's language; the one written here says nothing of the kind
    lines = [
        [
            (text_of(dt_tag), dt_tag.find_next_sibling("dd").a["href"])
            for dt_tag in soup.select("dl dt")
            if text_of(dt_tag) == label
        ]
        for soup in pages
    ]
    assert lines == [
        [(label, source)],
        [],
        [(label, "https://data.example.be/dataset/ab")],
    ]
