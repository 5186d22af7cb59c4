"""Saving a search by address: double opt-in through the real SMTP server,
signed links, one-click unsubscribe, and an address never shown."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import signing

from alerts.models import SavedSearch, email_hash
from alerts.services.subscriptions import confirmation_send
from tests.alerts.smtp import links_of
from tests.cms.factories import logged_in

pytestmark = pytest.mark.django_db

ADDRESS = "sme@example.nl"
QUERY = "kinds=organisation&sectors=healthcare&near=51.4416,5.4697&radius_km=30"


def _subscribe(client, query: str = QUERY, language: str = "nl"):
    return client.post(
        "/alerts/subscribe/",
        {"email": ADDRESS, "frequency": "weekly", "query": f"{query}&after=x&size=5"},
        headers={"Accept-Language": language},
    )


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_saved_search_waits_for_the_confirmation_mailed_in_the_page_language(
    client, smtp, django_capture_on_commit_callbacks
):
    # given an SME on the Dutch search page saving a search
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = _subscribe(client)
    # then it is saved unconfirmed, without paging, in Dutch, and a mail is queued
    assert response.status_code == 200
    saved = SavedSearch.objects.get()
    assert saved.confirmed_at is None
    assert saved.query == (
        "kinds=organisation&near=51.4416%2C5.4697&radius_km=30&sectors=healthcare"
    )
    assert (saved.language, saved.email_hash) == ("nl", email_hash(ADDRESS))
    assert len(sent) == 1
    assert ADDRESS not in response.content.decode()
    # when the worker sends the confirmation
    assert confirmation_send(saved_search_id=saved.pk)
    (message,) = smtp.inbox.wait_for(1)
    # then it reaches the address in Dutch, with a confirm and an unsubscribe link
    assert message["To"] == ADDRESS
    assert message["Subject"] == "Bevestig je opgeslagen zoekopdracht bij hub"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (confirm_url,) = (link for link in links_of(message) if "/alerts/confirm/" in link)
    # when the link is opened (a page with a button) and the button pressed
    assert client.get(_path(confirm_url)).status_code == 200
    assert SavedSearch.objects.get().confirmed_at is None
    response = client.post(_path(confirm_url))
    # then the search is live and its first window starts now
    assert response.status_code == 200
    saved.refresh_from_db()
    assert saved.confirmed_at is not None
    assert saved.last_digest_at == saved.confirmed_at


def test_saving_the_same_search_again_keeps_one(client, smtp):
    # when the same search is saved twice (with other paging)
    _subscribe(client)
    _subscribe(client, QUERY.replace("kinds=organisation&", "") + "&kinds=organisation")
    # then there is one saved search
    assert SavedSearch.objects.count() == 1


def test_a_bad_search_is_refused_and_nothing_saved(client):
    # when a search with a radius but no point is saved
    response = _subscribe(client, query="radius_km=30")
    # then the page says what is wrong and nothing is stored
    assert response.status_code == 400
    assert "radius_km" in response.content.decode()
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.dumps([1, "0" * 16], salt="alerts.confirm"),
        signing.dumps([1, "0" * 16], salt="other"),
    ],
)
def test_forged_or_foreign_confirm_links_are_refused(client, smtp, token):
    # given a pending saved search (id 1 or another)
    _subscribe(client)
    # when a link that is not its own is posted
    response = client.post(f"/alerts/confirm/{token}/")
    # then it is refused and nothing is confirmed
    assert response.status_code == 400
    assert not SavedSearch.objects.filter(confirmed_at__isnull=False).exists()


def test_one_click_unsubscribe_deletes_the_search_and_the_address(client, smtp):
    # given a saved search and the unsubscribe header of its mail
    _subscribe(client)
    saved = SavedSearch.objects.get()
    confirmation_send(saved_search_id=saved.pk)
    (message,) = smtp.inbox.wait_for(1)
    url = message["List-Unsubscribe"].strip().strip("<>")
    # when the mail client posts the RFC 8058 one-click body (no CSRF token)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        _path(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    # then the saved search, address and all, is gone; a repeat is harmless
    assert response.status_code == 200
    assert not SavedSearch.objects.exists()
    assert client.post(_path(url)).status_code == 200


def test_the_admin_never_shows_the_address(client, smtp, django_user_model):
    # given a saved search and a superuser
    _subscribe(client)
    saved = SavedSearch.objects.get()
    admin = logged_in(
        django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    )
    # when the list and the record are opened
    pages = [
        admin.get("/django-admin/alerts/savedsearch/").content.decode(),
        admin.get(
            f"/django-admin/alerts/savedsearch/{saved.pk}/change/"
        ).content.decode(),
    ]
    # then each shows the masked form and never the address
    for page in pages:
        assert ADDRESS not in page
        assert "s***@e***.nl" in page
    assert saved.email_hash in pages[1]
