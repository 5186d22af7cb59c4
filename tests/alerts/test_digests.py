"""Digests on the real search node and the real SMTP server: the new and changed
matches since the last digest, when due, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alerts.models import SavedSearch, email_hash
from alerts.services.digests import digests_due, saved_search_digest_send
from search.engine import search_engine
from tests.alerts.smtp import links_of, text_of
from tests.search.corpus import PLACES, index_all, wire

pytestmark = pytest.mark.django_db

QUERY = "kinds=organisation&near=51.4416,5.4697&radius_km=30&sectors=healthcare"


def _organisation(name: str, place: str, sectors: list[str]) -> dict:
    return wire(
        kind="organisation",
        hub="eindhoven",
        name=name,
        type="sme",
        sectors=sectors,
        location=PLACES[place].location(),
        language="en",
    )


def _saved(*, last_digest_at: dt.datetime, frequency: str = "daily") -> SavedSearch:
    return SavedSearch.objects.create(
        email="sme@example.nl",
        email_hash=email_hash("sme@example.nl"),
        query=QUERY,
        frequency=frequency,
        language="en",
        confirmed_at=last_digest_at,
        last_digest_at=last_digest_at,
    )


def test_a_digest_lists_the_new_matches_of_its_window_once(alias, smtp):
    # given an organisation indexed before the last digest
    engine = search_engine()
    index_all(engine, [_organisation("Old Care", "helmond", ["healthcare"])])
    saved = _saved(last_digest_at=timezone.now())
    # and, after it, a match, one in the wrong sector and one too far away
    match = _organisation("Care Vision Veldhoven", "veldhoven", ["healthcare"])
    index_all(
        engine,
        [
            match,
            _organisation("Traffic Vision", "veldhoven", ["mobility"]),
            _organisation("Care Amsterdam", "amsterdam", ["healthcare"]),
        ],
    )
    # when the digest runs a day later
    later = timezone.now() + dt.timedelta(days=1)
    listed = saved_search_digest_send(saved_search_id=saved.pk, now=later)
    # then it mails the one new match with its link and the unsubscribe link
    assert listed == 1
    (message,) = smtp.inbox.wait_for(1)
    assert message["To"] == "sme@example.nl"
    assert message["Subject"] == "New and changed records for your saved search at hub"
    assert "- Care Vision Veldhoven (Organisation)" in text_of(message)
    assert match["url"] in links_of(message)
    assert "Old Care" not in text_of(message)
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://127.0.0.1:8000/alerts/unsubscribe/")
    )
    # and the window moved: the same run again sends nothing
    assert saved_search_digest_send(saved_search_id=saved.pk, now=later) == 0
    saved.refresh_from_db()
    assert saved.last_digest_at == later
    assert len(smtp.inbox.messages) == 1


def test_nothing_new_sends_no_mail_but_moves_the_window(alias, smtp):
    # given a saved search whose last digest was yesterday, and no new match
    index_all(search_engine(), [_organisation("Traffic", "veldhoven", ["mobility"])])
    saved = _saved(last_digest_at=timezone.now() - dt.timedelta(days=1))
    # when its digest runs
    now = timezone.now()
    assert saved_search_digest_send(saved_search_id=saved.pk, now=now) == 0
    # then no mail is sent and the next window starts now
    saved.refresh_from_db()
    assert saved.last_digest_at == now
    assert smtp.inbox.messages == []


def test_due_follows_the_frequency_and_skips_unconfirmed():
    # given daily and weekly searches last sent two days ago, and an unconfirmed one
    now = timezone.now()
    daily = _saved(last_digest_at=now - dt.timedelta(days=2))
    weekly = _saved(last_digest_at=now - dt.timedelta(days=2), frequency="weekly")
    SavedSearch.objects.create(
        email="x@example.nl", email_hash="x", query="", frequency="daily", language="en"
    )
    # then only the daily one is due now, both are a week later
    assert digests_due(now=now) == [daily.pk]
    assert digests_due(now=now + dt.timedelta(days=5)) == [daily.pk, weekly.pk]


def test_a_failed_send_gives_the_window_back(alias, settings):
    # given a due saved search with a match, and no mail server listening
    saved = _saved(last_digest_at=timezone.now())
    index_all(search_engine(), [_organisation("Care", "veldhoven", ["healthcare"])])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    # when the digest runs
    with pytest.raises(ConnectionRefusedError):
        saved_search_digest_send(
            saved_search_id=saved.pk, now=timezone.now() + dt.timedelta(days=1)
        )
    # then the window stays where it was, for the retry
    before = saved.last_digest_at
    saved.refresh_from_db()
    assert saved.last_digest_at == before
