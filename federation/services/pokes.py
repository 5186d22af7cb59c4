"""Pokes: after a change, ask the neighbours that pull from this hub to pull now.

At most one poke per neighbour is pending (``PokeState``), so a burst of changes
queues one task per neighbour, not one per change. The store does not call this:
``neighbours_poke_enqueue`` runs on ``catalogue_changed`` (``FederationConfig.ready``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from federation.models import PokeState
from federation.services.peer_http import (
    SyncTransportError,
    graphql_post,
    peer_session,
)
from federation.wire import POKE_MUTATION
from hubs.models import Neighbour

logger = logging.getLogger(__name__)


def task_send_safely(send: Callable[[], object], *, what: str) -> bool:
    """Queue a task, or log a warning when the broker refuses or is down: the
    change that prompted it is committed, and the interval sync catches up."""
    try:
        send()
    except Exception as error:  # kombu and redis raise many kinds
        logger.warning(
            "could not queue %s: %r; the interval sync catches up", what, error
        )
        return False
    return True


def neighbours_poke_enqueue(*, source: str = "") -> None:
    """After this hub's catalogue changed, ask the neighbours that pull from it
    (SYNC_POKE_ROLES) to pull now instead of waiting for their interval; the
    neighbour the change came from (``source``, a slug) is spared: it has it.

    At most one poke per neighbour is pending: a burst of changes queues one."""
    # Claimed after the commit, outside the writer's transaction: a claim
    # takes no lock the writer holds, and a rolled-back change claims nothing.
    transaction.on_commit(lambda: _pokes_send(source=source), robust=True)


def _pokes_send(*, source: str) -> None:
    from federation.tasks import neighbour_poke_task

    neighbour_ids = (
        Neighbour.objects.filter(enabled=True, role__in=settings.SYNC_POKE_ROLES)
        .exclude(slug=source)
        .values_list("pk", flat=True)
    )
    for neighbour_id in neighbour_ids:
        if not poke_claim(neighbour_id=neighbour_id):
            continue
        sent = task_send_safely(
            functools.partial(neighbour_poke_task.delay, neighbour_id=neighbour_id),
            what=f"a poke of neighbour {neighbour_id}",
        )
        if not sent:
            # The broker is down: free the claim for a later change, and spare
            # the other neighbours' pokes the same wait.
            poke_clear(neighbour_id=neighbour_id)
            return


def poke_claim(*, neighbour_id: int) -> bool:
    """Mark a poke of the neighbour pending unless one already is (and is younger
    than SYNC_POKE_PENDING_TTL); True when this caller must queue the poke."""
    now = timezone.now()
    PokeState.objects.get_or_create(neighbour_id=neighbour_id)
    claimed = (
        PokeState.objects.filter(neighbour_id=neighbour_id)
        .filter(Q(pending_until__isnull=True) | Q(pending_until__lt=now))
        .update(pending_until=now + timedelta(seconds=settings.SYNC_POKE_PENDING_TTL))
    )
    return claimed == 1


def poke_clear(*, neighbour_id: int) -> None:
    """No poke of the neighbour is pending any more: the next change queues one."""
    PokeState.objects.filter(neighbour_id=neighbour_id).update(pending_until=None)


def neighbour_poke(*, neighbour_id: int) -> bool:
    """Tell one neighbour to pull from this hub now; True when it accepted.

    The pending mark is cleared first: a change committed from here on queues a
    new poke, and one committed before is already in the feed the neighbour
    will read."""
    poke_clear(neighbour_id=neighbour_id)
    neighbour = Neighbour.objects.get(pk=neighbour_id)
    with peer_session() as session:
        payload = graphql_post(
            session=session, neighbour=neighbour, query=POKE_MUTATION
        )
    try:
        return bool(payload["data"]["poke"]["accepted"])
    except (KeyError, TypeError):
        raise SyncTransportError("the poke answer does not match the schema") from None
