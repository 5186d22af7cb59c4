"""Digests: the new and changed records matching a saved search since its last
digest, mailed when its period (a day, a week) has passed.

The window is on ``indexedAt``, the moment a version reached the shared index
(a later version only), so a record federated late still appears once."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import get_connection
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from alerts.mail import digest_message
from alerts.models import Frequency, SavedSearch
from search.feeds import hit_url
from search.queries import catalogue_search
from search.query_string import search_params_parse

logger = logging.getLogger(__name__)

PERIOD = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}
# Beat looks every ALERTS_CHECK_INTERVAL; a digest a little early beats one a
# whole interval late.
EARLY = dt.timedelta(minutes=30)
DIGEST_SIZE = 50


def digests_due(*, now: dt.datetime) -> list[int]:
    """Ids of the live saved searches whose digest is due at ``now``."""
    due = Q()
    for frequency, period in PERIOD.items():
        due |= Q(frequency=frequency, last_digest_at__lte=now - period + EARLY)
    return list(
        SavedSearch.objects.filter(confirmed_at__isnull=False)
        .filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def saved_search_digest_send(
    *, saved_search_id: int, now: dt.datetime | None = None
) -> int:
    """Mail the digest of one saved search if it is due; the number of records
    listed (0: nothing new, no mail). The window is claimed before sending, so
    a repeated task sends nothing; a failed send gives it back and raises."""
    now = now or timezone.now()
    saved = SavedSearch.objects.filter(
        pk=saved_search_id, confirmed_at__isnull=False
    ).first()
    if saved is None or saved_search_id not in digests_due(now=now):
        return 0
    since = saved.last_digest_at
    claimed = SavedSearch.objects.filter(pk=saved.pk, last_digest_at=since).update(
        last_digest_at=now
    )
    if not claimed:
        return 0
    try:
        params = search_params_parse(
            QueryDict(saved.query),
            sort="newest",
            size=DIGEST_SIZE,
            after=None,
            facets=(),
            highlight=False,
            indexed_after=since,
            indexed_until=now,
        )
        results = catalogue_search(params=params)
        if results.hits:
            message = digest_message(
                saved,
                hits=results.hits,
                links=[hit_url(hit) for hit in results.hits],
                total=results.total,
            )
            get_connection(fail_silently=False).send_messages([message])
    except Exception:
        SavedSearch.objects.filter(pk=saved.pk, last_digest_at=now).update(
            last_digest_at=since
        )
        raise
    logger.info("digest of saved search %s: %s records", saved.pk, len(results.hits))
    return len(results.hits)
