"""The Federation admin's list of signing keys: each origin's key id, first
seen, last rotated, revoked."""

import pytest
from django.utils import timezone

from hubs.models import HubKey

pytestmark = pytest.mark.django_db


def test_the_keys_page_lists_each_origin_s_keys(admin_client):
    # given: nl-nb's first key, rotated, and its second
    rotated = timezone.now()
    HubKey.objects.create(
        origin="nl-nb",
        key_id="0123456789abcdef",
        public_key="x",
        created_at=rotated,
        rotated_at=rotated,
    )
    HubKey.objects.create(
        origin="nl-nb", key_id="fedcba9876543210", public_key="y", created_at=rotated
    )
    # when
    response = admin_client.get("/admin/federation/keys/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-origin="nl-nb" data-key-id="0123456789abcdef"' in html
    assert 'data-origin="nl-nb" data-key-id="fedcba9876543210"' in html
    assert html.count('<td data-column="rotated">—</td>') == 1
    assert "Signing keys" in html


def test_the_keys_page_needs_the_federation_permission(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    client.force_login(user)
    response = client.get("/admin/federation/keys/")
    assert response.status_code in (302, 403)
    assert b"fedcba" not in response.content
