"""The hub's name on its Wagtail site: the Site always carries it, the home
page follows it until an editor has chosen a title."""

import pytest
from wagtail.models import Page, Site

from cms.site_identity import HOME_TITLE, site_identity_apply

pytestmark = pytest.mark.django_db


def _home() -> Page:
    return Page.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)


def test_a_freshly_migrated_home_page_has_the_neutral_title():
    # given: the test database, migrated (migrations read no hub identity)
    site = Site.objects.get(is_default_site=True)
    # then
    assert (_home().title, _home().draft_title) == (HOME_TITLE, HOME_TITLE)
    assert site.site_name == ""


def test_the_site_and_home_page_are_named_after_the_hub_once():
    # when: applied twice
    first = site_identity_apply(name="AI Hub Eindhoven")
    again = site_identity_apply(name="AI Hub Eindhoven")
    # then: the first names both, the second changes nothing
    assert first.as_dict() == {
        "site_renamed": True,
        "home_renamed": True,
        "home_title": "AI Hub Eindhoven",
    }
    assert again.as_dict() == {
        "site_renamed": False,
        "home_renamed": False,
        "home_title": "AI Hub Eindhoven",
    }
    assert Site.objects.get(is_default_site=True).site_name == "AI Hub Eindhoven"
    home = _home()
    assert (home.title, home.draft_title) == ("AI Hub Eindhoven", "AI Hub Eindhoven")
    assert home.url_path == "/home/"


def test_a_hub_whose_name_changed_is_renamed():
    # given: named once
    site_identity_apply(name="AI Hub Eindhoven")
    # when: HUB_NAME changed
    result = site_identity_apply(name="AI Hub Brainport")
    # then
    assert (result.site_renamed, result.home_renamed) == (True, True)
    assert Site.objects.get(is_default_site=True).site_name == "AI Hub Brainport"
    assert _home().title == "AI Hub Brainport"


def test_a_title_an_editor_chose_is_kept_while_the_site_follows_the_hub():
    # given: named, then an editor retitles the home page and saves a revision
    site_identity_apply(name="AI Hub Eindhoven")
    home = _home().specific
    home.title = "Welkom bij de AI Hub"
    home.save_revision().publish()
    # when: the hub is renamed
    result = site_identity_apply(name="AI Hub Brainport")
    # then: the editor's title stays, the site carries the new name
    assert (result.site_renamed, result.home_renamed) == (True, False)
    assert result.home_title == "Welkom bij de AI Hub"
    assert _home().title == "Welkom bij de AI Hub"
    assert Site.objects.get(is_default_site=True).site_name == "AI Hub Brainport"


def test_a_page_an_editor_saved_keeps_even_the_hubs_old_name():
    # given: named, then an editor saves the home page with its title unchanged
    site_identity_apply(name="AI Hub Eindhoven")
    _home().specific.save_revision().publish()
    # when
    result = site_identity_apply(name="AI Hub Brainport")
    # then: the page is the editors' now
    assert result.home_renamed is False
    assert _home().title == "AI Hub Eindhoven"


def test_an_existing_hub_named_by_its_migration_keeps_its_title():
    # given: a database migrated before the neutral title (home named, no site
    # name)
    Page.objects.filter(pk=_home().pk).update(
        title="AI Hub Eindhoven", draft_title="AI Hub Eindhoven"
    )
    # when
    result = site_identity_apply(name="AI Hub Eindhoven")
    # then
    assert (result.site_renamed, result.home_renamed) == (True, False)
    assert _home().title == "AI Hub Eindhoven"


def test_an_empty_name_is_refused_and_changes_nothing():
    with pytest.raises(ValueError, match="HUB_NAME"):
        site_identity_apply(name="  ")
    assert _home().title == HOME_TITLE
    assert Site.objects.get(is_default_site=True).site_name == ""
