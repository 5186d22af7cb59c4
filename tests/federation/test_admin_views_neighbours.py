"""The Federation admin's neighbour pages: adding a neighbour and rotating its
token show the new inbound token once, and refuse bad input on the field."""

import pytest
from django.urls import reverse

from hubs.models import Neighbour, NeighbourRole
from hubs.services import token_hash
from tests.federation.admin_forms import (
    NEW_OUTBOUND_TOKEN,
    TOKEN_INPUT,
    neighbour_add_form,
)
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour() -> Neighbour:
    return NeighbourFactory(slug="nl-nb", name="Brabant hub", role=NeighbourRole.CHILD)


def test_add_neighbour_with_errors_keeps_the_form_but_not_the_token(
    admin_client, neighbour
):
    # given a slug that is taken and a token that is too short
    form = neighbour_add_form(slug=neighbour.slug, outbound_token="short-token")
    # when
    response = admin_client.post(reverse("federation_admin:neighbour_add"), form)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "outbound_token": ["A token has at least 32 characters."]
    }
    assert "short-token" not in html
    assert Neighbour.objects.count() == 1


def test_add_neighbour_reports_a_taken_slug_on_the_field(admin_client, neighbour):
    # when
    response = admin_client.post(
        reverse("federation_admin:neighbour_add"),
        neighbour_add_form(slug=neighbour.slug),
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "slug": ["Neighbour with this Slug already exists."]
    }
    assert NEW_OUTBOUND_TOKEN not in response.content.decode()
    assert Neighbour.objects.count() == 1


def test_add_neighbour_refuses_a_private_endpoint_on_the_field(
    admin_client, neighbour, settings
):
    # given production's address rules
    settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = False
    # when a coordinator gives the cloud metadata address as endpoint
    response = admin_client.post(
        reverse("federation_admin:neighbour_add"),
        neighbour_add_form(endpoint_url="http://169.254.169.254/latest"),
    )
    # then the form says why, next to the field, and nothing is stored
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "endpoint_url": [
            "'http://169.254.169.254/latest' is refused: 169.254.169.254 is a "
            "link-local address (allowed only with "
            "NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES=1)"
        ]
    }
    assert Neighbour.objects.count() == 1


def test_rotate_asks_first_then_shows_the_new_token_once(admin_client, neighbour):
    # given
    url = reverse("federation_admin:neighbour_rotate_token", args=[neighbour.pk])
    hash_before = neighbour.inbound_token_hash
    # when asked
    confirm = admin_client.get(url)
    neighbour.refresh_from_db()
    # then nothing changed yet
    assert confirm.status_code == 200
    assert "stops working as soon as you rotate it" in confirm.content.decode()
    assert neighbour.inbound_token_hash == hash_before
    # when confirmed
    response = admin_client.post(url)
    # then
    html = response.content.decode()
    (token,) = TOKEN_INPUT.findall(html)
    neighbour.refresh_from_db()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "it will not be shown again" in html
    assert neighbour.inbound_token_hash == token_hash(token) != hash_before
    assert neighbour.inbound_token_hint == token[:6]
    assert neighbour.outbound_token not in html
    detail = admin_client.get(
        reverse("federation_admin:neighbour_detail", args=[neighbour.pk])
    )
    assert token not in detail.content.decode()
