"""Saving a search by e-mail address (double opt-in), confirming it and
deleting it."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from alerts.models import Frequency, SavedSearch, email_hash
from alerts.tokens import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    TokenInvalid,
    token_read,
)
from search.query_string import search_params_parse

logger = logging.getLogger(__name__)

# Paging and order are the page's, not the search's.
NOT_SAVED = ("after", "size", "sort", "page")


def query_normalise(query: str) -> str:
    """The saved form of a /search/ query string: checked by the search parser
    (``SearchParamsInvalid`` names a bad parameter), paging and order dropped,
    pairs sorted so the same search is saved once."""
    values = QueryDict(query)
    search_params_parse(values)
    pairs = sorted(
        (name, value)
        for name, items in values.lists()
        for value in items
        if name not in NOT_SAVED and value != ""
    )
    kept = QueryDict(mutable=True)
    for name, value in pairs:
        kept.appendlist(name, value)
    return kept.urlencode()


def saved_search_subscribe(
    *, email: str, query: str, frequency: str, language: str
) -> SavedSearch:
    """Save ``query`` for ``email`` unconfirmed and send the confirmation link
    (after the commit, by the worker); the same search again re-sends it."""
    from alerts.tasks import confirmation_send_task

    if frequency not in Frequency.values:
        raise ValueError(f"frequency: one of {', '.join(Frequency.values)}")
    normalised = query_normalise(query)
    with transaction.atomic():
        saved, _created = SavedSearch.objects.get_or_create(
            email_hash=email_hash(email),
            query=normalised,
            frequency=frequency,
            defaults={"email": email.strip(), "language": language},
        )
        if saved.confirmed_at is None:
            saved.language = language
            saved.save(update_fields=["language"])
            transaction.on_commit(
                lambda: confirmation_send_task.delay(saved_search_id=saved.pk)
            )
    return saved


def saved_search_confirm(*, token: str) -> SavedSearch:
    """Make the saved search of a confirmation link live; its first digest
    covers what appears from now on. Raises ``TokenInvalid``."""
    saved = _saved_of(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if saved is None:
        raise TokenInvalid("no such saved search")
    if saved.confirmed_at is None:
        now = timezone.now()
        SavedSearch.objects.filter(pk=saved.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, last_digest_at=now
        )
        saved.refresh_from_db()
    return saved


def saved_search_delete(*, token: str) -> bool:
    """Delete the saved search of an unsubscribe link, address and all; False
    when it was deleted already. Raises ``TokenInvalid`` for a forged link."""
    saved = _saved_of(token, salt=UNSUBSCRIBE_SALT)
    if saved is None:
        return False
    saved.delete()
    logger.info("saved search %s deleted by its subscriber", saved.pk)
    return True


def _saved_of(
    token: str, *, salt: str, max_age: int | None = None
) -> SavedSearch | None:
    pk, hash_prefix = token_read(token, salt=salt, max_age=max_age)
    saved = SavedSearch.objects.filter(pk=pk).first()
    if saved is None or not saved.email_hash.startswith(hash_prefix):
        return None
    return saved


def confirmation_send(*, saved_search_id: int) -> bool:
    """Mail the confirmation link of an unconfirmed saved search; False when
    there is none (confirmed or deleted meanwhile)."""
    from django.core.mail import get_connection

    from alerts.mail import confirmation_message

    saved = SavedSearch.objects.filter(
        pk=saved_search_id, confirmed_at__isnull=True
    ).first()
    if saved is None:
        return False
    get_connection(fail_silently=False).send_messages([confirmation_message(saved)])
    return True
