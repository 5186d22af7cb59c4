"""Records from other hubs: shown read-only with their origin, editable nowhere."""

import pytest
from django.urls import NoReverseMatch, reverse

from federation.models import StoredRecord
from tests.cms.factories import logged_in, project_page, user_in
from tests.federation.factories import stored_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def federated():
    return stored_record(
        kind="project",
        origin="nl",
        name="Bijstandsscan",
        aiActClass="high",
        annexIiiArea="essential-services",
        themes=["SOCI"],
    )


def test_a_federated_record_is_shown_with_its_origin(client, federated):
    # when anyone opens the record page
    response = client.get(f"/records/{federated.record_id}/")
    # then it shows the body, marked as coming from its origin, linking there
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="nl">Bijstandsscan</h1>' in html
    assert 'data-origin="nl"' in html
    assert "From nl" in html
    assert f'href="{federated.url}"' in html
    assert "High risk (AI Act, article 6 and Annex III)" in html
    assert "Population and society" in html


def test_a_record_page_links_its_similar_records(client, federated):
    # when anyone opens the record page
    html = client.get(f"/records/{federated.record_id}/").content.decode()
    # then a section loads similar records (search's fragment), with a plain
    # link for browsers without JavaScript
    similar = f"/search/similar/{federated.record_id}/"
    assert f'data-similar-src="{similar}?fragment=1"' in html
    assert f'<a href="{similar}">Show similar records</a>' in html
    assert "search/similar.js" in html


def test_an_own_record_is_shown_without_an_origin_mark(client):
    page = project_page(publish=True)
    html = client.get(f"/records/{page.record_id}/").content.decode()
    assert '<h1 lang="en">Parkeerscan</h1>' in html
    assert "data-origin" not in html
    assert "NL413 Noordoost-Noord-Brabant" in html


def test_a_withdrawn_record_is_gone_and_an_unknown_one_not_found(client):
    page = project_page(publish=True)
    type(page).objects.get(pk=page.pk).unpublish()
    assert client.get(f"/records/{page.record_id}/").status_code == 410
    assert client.get("/records/nl:project:nope/").status_code == 404


def test_the_record_page_only_reads(client, federated):
    response = client.post(f"/records/{federated.record_id}/", {"name": "x"})
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["Editors", "Coordinators", "superuser"])
def test_the_admin_lists_federated_records_read_only(role, federated):
    # given an own record beside the federated one
    project_page(publish=True)
    user = user_in(
        None if role == "superuser" else role,
        username=role.lower(),
        superuser=role == "superuser",
    )
    client = logged_in(user)
    # when the listing is opened
    response = client.get(reverse("cms_federated_records:index"))
    # then only the federated record is listed, with view links and no edit link
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-record="{federated.record_id}"' in html
    assert html.count("data-record=") == 1
    assert "/edit/" not in html
    detail = reverse("cms_federated_records:detail", args=[federated.pk])
    assert client.get(detail).status_code == 200


def test_federated_records_have_no_edit_url(federated):
    for name in ("edit", "delete", "add", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"cms_federated_records:{name}", args=[federated.pk])


def test_posting_to_the_admin_views_is_refused_and_changes_nothing(federated):
    client = logged_in(user_in(None, username="root", superuser=True))
    before = StoredRecord.objects.values().get(pk=federated.pk)
    for url in (
        reverse("cms_federated_records:index"),
        reverse("cms_federated_records:detail", args=[federated.pk]),
    ):
        assert client.post(url, {"title": "Changed"}).status_code == 405
    assert StoredRecord.objects.values().get(pk=federated.pk) == before


def test_an_own_record_is_not_in_the_federated_admin():
    page = project_page(publish=True)
    own = StoredRecord.objects.get(record_id=page.record_id)
    client = logged_in(user_in(None, username="root", superuser=True))
    detail = reverse("cms_federated_records:detail", args=[own.pk])
    assert client.get(detail).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, federated):
    response = client.get(reverse("cms_federated_records:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_record_page_says_who_signed_it_and_whether_it_verified(client):
    # given: an own record (signed here), a federated one verified against nl's
    # pinned key, one signed by be whose key is not known here, and an unsigned one
    own = project_page(publish=True)
    verified = stored_record(kind="project", origin="nl")
    unverified = stored_record(kind="project", origin="be", origin_path=["eu", "be"])
    unsigned = stored_record(kind="project", origin="nl")
    StoredRecord.objects.filter(pk=verified.pk).update(
        signature="c2ln", key_id="0123456789abcdef", verified=True
    )
    StoredRecord.objects.filter(pk=unverified.pk).update(
        signature="c2ln", key_id="fedcba9876543210", verified=False
    )

    def provenance(record_id: str) -> str:
        html = client.get(f"/records/{record_id}/").content.decode()
        start = html.find('<p class="provenance"')
        return (
            " ".join(html[start : html.find("</p>", start)].split())
            if start >= 0
            else ""
        )

    # when / then
    own_key = StoredRecord.objects.get(record_id=own.record_id).key_id
    assert provenance(own.record_id) == (
        '<p class="provenance" data-verified="true" '
        f'data-key-id="{own_key}"> Signed by hub, verified'
    )
    assert provenance(verified.record_id) == (
        '<p class="provenance" data-verified="true" '
        'data-key-id="0123456789abcdef"> Signed by nl, verified'
    )
    assert provenance(unverified.record_id) == (
        '<p class="provenance" data-verified="false" '
        'data-key-id="fedcba9876543210"> Signed by be, not verified: its key is '
        "not known here yet"
    )
    assert provenance(unsigned.record_id) == ""
