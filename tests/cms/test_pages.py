"""The page tree, page templates and previews, and the list fields' forms."""

import pytest
from wagtail.models import Page, Site

from cms.fields import KeywordListFormField
from cms.models import HubHomePage, ProjectPage
from tests.cms.factories import INDEX_MODELS, hub_home, index_page, record_page

pytestmark = pytest.mark.django_db


def test_the_hub_home_page_replaces_wagtails_welcome_page():
    home = hub_home()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == home
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert [type(child.specific) for child in home.get_children()] == list(
        INDEX_MODELS.values()
    )
    assert [child.url for child in home.get_children()] == [
        "/projects/",
        "/datasets/",
        "/courses/",
        "/organisations/",
    ]


def test_page_types_go_where_they_belong():
    assert ProjectPage.can_create_at(index_page("project"))
    assert not ProjectPage.can_create_at(index_page("dataset"))
    assert not ProjectPage.can_create_at(hub_home())
    assert not HubHomePage.can_create_at(Page.get_first_root_node())  # one per hub


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_every_page_type_renders(client, kind):
    # given a published page of the kind
    page = record_page(kind, publish=True)
    # then its page, its index and the home page render it
    detail = client.get(page.url)
    assert detail.status_code == 200
    assert f'<h1 lang="en">{page.title}</h1>' in detail.content.decode()
    index = client.get(index_page(kind).url)
    assert index.status_code == 200
    assert f'href="{page.url}"' in index.content.decode()
    home = client.get("/")
    assert home.status_code == 200
    assert page.title in home.content.decode()


def test_the_project_page_has_a_section_for_citizens(client):
    page = record_page(
        "project",
        publish=True,
        human_intervention="A parking officer checks every scan.",
        objection_procedure="Object within six weeks.",
    )
    html = client.get(page.url).content.decode()
    assert "How this system affects you" in html
    assert "A parking officer checks every scan." in html
    assert "Object within six weeks." in html


def test_a_draft_can_be_previewed():
    page = record_page("project", short_description="Not yet public.")
    response = page.make_preview_request()
    assert response.status_code == 200
    assert "Not yet public." in response.render().content.decode()


def test_keywords_are_typed_as_comma_separated_text():
    field = KeywordListFormField(required=False)
    assert field.clean(" mobility, health;mobility\nAI ") == [
        "mobility",
        "health",
        "AI",
    ]
    assert field.prepare_value(["a", "b"]) == "a, b"
    assert field.has_changed(["a", "b"], "a,b") is False


def test_nuts_codes_are_upper_cased_in_the_form():
    form_field = ProjectPage._meta.get_field("nuts_codes").formfield()
    assert form_field.clean("nl41, nl414") == ["NL41", "NL414"]


def test_revisions_keep_list_fields():
    page = record_page("project", themes=["TRAN"], sectors=["mobility"])
    revision = page.save_revision()
    restored = revision.as_object()
    assert (restored.themes, restored.sectors) == (["TRAN"], ["mobility"])


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_the_admin_forms_of_every_kind_open(kind):
    from tests.cms.factories import logged_in, user_in

    client = logged_in(user_in("Coordinators", username="coen"))
    model = type(record_page(kind))
    parent = index_page(kind)
    add_url = f"/admin/pages/add/cms/{model._meta.model_name}/{parent.pk}/"
    assert client.get(add_url).status_code == 200
    page = record_page(kind, title=f"Another {kind}", slug=f"another-{kind}")
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_the_setup_rebuilds_the_tree_on_an_empty_database():
    # given a database without pages (as after a flush)
    Page.objects.all().delete()
    assert not Site.objects.exists()
    # when the hub's setup runs again
    home = hub_home()
    # then the tree, the site, the groups' grants and the workflow are back
    assert Site.objects.get().root_page_id == home.pk
    assert home.get_children().count() == 4
    assert home.get_workflow().name == "Hub moderation"
    assert home.group_permissions.filter(group__name="Coordinators").count() == 5


def test_the_editor_shows_the_record_id_read_only():
    from tests.cms.factories import edit_form_data, logged_in, user_in

    page = record_page("organisation", publish=True)
    client = logged_in(user_in("Coordinators", username="coen"))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert page.record_id in html
    assert "record_id" not in edit_form_data(client, page)


def test_a_record_keeps_the_language_its_page_is_written_in():
    from wagtail.models import Locale

    from federation.models import StoredRecord

    # given a page that names its language and one that does not
    german = record_page("project", publish=True, language="de")
    unnamed = record_page("project", publish=True, language="")
    # then the record of the first is German, the other in the site's language
    stored = {
        record.record_id: record.language
        for record in StoredRecord.objects.filter(
            record_id__in=[german.record_id, unnamed.record_id]
        )
    }
    assert stored == {german.record_id: "de", unnamed.record_id: "en"}
    # and a page of a Dutch hub's locale (HUB_LANGUAGES=nl,...) is Dutch
    unnamed.locale = Locale(language_code="nl")
    assert unnamed.record_language == "nl"
