"""Services for neighbours (tokens) and worker liveness."""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import log_actions

from hubs.audit import NEIGHBOUR_CREATE, NEIGHBOUR_TOKEN_ROTATE, neighbour_audit_data
from hubs.endpoints import EndpointRefused, endpoint_url_check
from hubs.models import Neighbour, NeighbourRole, WorkerHeartbeat

logger = logging.getLogger(__name__)
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    """Hash a peer token; tokens are 256-bit random, so SHA-256 needs no salt."""
    return hashlib.sha256(token.encode()).hexdigest()


def neighbour_endpoint_validate(*, endpoint_url: str) -> str:
    """The endpoint as stored (no trailing slash); ``ValidationError`` on
    ``endpoint_url`` when this hub must not talk to it (see ``hubs.endpoints``)."""
    url = endpoint_url.strip().rstrip("/")
    try:
        endpoint_url_check(url)
    except EndpointRefused as refused:
        raise ValidationError(
            {
                "endpoint_url": _("%(url)r is refused: %(reason)s")
                % {"url": endpoint_url, "reason": refused}
            }
        ) from None
    return url


def _actor(user: AbstractBaseUser | AnonymousUser | None) -> str:
    return user.get_username() if user is not None else "the system"


def token_generate() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class IssuedNeighbour:
    """A neighbour just created, with its inbound token in clear (shown once)."""

    neighbour: Neighbour
    inbound_token: str


@transaction.atomic
def neighbour_create(
    *,
    slug: str,
    name: str,
    role: str,
    endpoint_url: str,
    outbound_token: str = "",
    inbound_token: str | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> IssuedNeighbour:
    """Register a neighbour hub and issue the token it must present to this hub;
    the audit log records it, by ``user`` (None: the command line, the system).

    ``inbound_token`` may be given when both sides were provisioned together (the
    demo, docker-compose); otherwise a random token is generated.
    """
    if role not in NeighbourRole.values:
        raise ValidationError({"role": _("Unknown role %(role)r.") % {"role": role}})
    url = neighbour_endpoint_validate(endpoint_url=endpoint_url)
    token = inbound_token or token_generate()
    if len(token) < 32:
        raise ValidationError(
            {"inbound_token": _("A token needs at least 32 characters.")}
        )
    neighbour = Neighbour(
        slug=slug,
        name=name,
        role=role,
        endpoint_url=url,
        outbound_token=outbound_token,
        inbound_token_hash=token_hash(token),
        inbound_token_hint=token[:6],
    )
    neighbour.full_clean()
    neighbour.save()
    log_actions.log(
        instance=neighbour,
        action=NEIGHBOUR_CREATE,
        user=user,
        data=neighbour_audit_data(neighbour),
    )
    logger.info("neighbour %s added by %s", neighbour.slug, _actor(user))
    return IssuedNeighbour(neighbour=neighbour, inbound_token=token)


@transaction.atomic
def neighbour_rotate_inbound_token(
    *, neighbour_id: int, user: AbstractBaseUser | AnonymousUser | None = None
) -> str:
    """Replace a neighbour's inbound token; the old one stops working at once. The
    audit log records it, by ``user`` (None: the command line, the system)."""
    neighbour = Neighbour.objects.select_for_update().get(pk=neighbour_id)
    token = token_generate()
    neighbour.inbound_token_hash = token_hash(token)
    neighbour.inbound_token_hint = token[:6]
    neighbour.save(update_fields=["inbound_token_hash", "inbound_token_hint"])
    log_actions.log(
        instance=neighbour,
        action=NEIGHBOUR_TOKEN_ROTATE,
        user=user,
        data=neighbour_audit_data(neighbour),
    )
    logger.info(
        "inbound token of neighbour %s rotated by %s", neighbour.slug, _actor(user)
    )
    return token


def neighbour_authenticate(*, token: str | None) -> Neighbour | None:
    """Return the enabled neighbour that owns ``token``, or None."""
    if not token or len(token) > 512:
        return None
    # The lookup is by hash: timing reveals nothing about the stored token.
    return Neighbour.objects.filter(
        inbound_token_hash=token_hash(token), enabled=True
    ).first()


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Record that a worker of this hub is alive and executing tasks."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"last_seen": timezone.now()}
    )
    return heartbeat


@transaction.atomic
def neighbour_upsert(
    *,
    slug: str,
    name: str,
    role: str,
    endpoint_url: str,
    outbound_token: str,
    inbound_token: str,
) -> Neighbour:
    """Create or update a neighbour provisioned with both tokens (demo, compose)."""
    existing = Neighbour.objects.select_for_update().filter(slug=slug).first()
    if existing is None:
        return neighbour_create(
            slug=slug,
            name=name,
            role=role,
            endpoint_url=endpoint_url,
            outbound_token=outbound_token,
            inbound_token=inbound_token,
        ).neighbour
    if len(inbound_token) < 32:
        raise ValidationError(
            {"inbound_token": _("A token needs at least 32 characters.")}
        )
    existing.name = name
    existing.role = role
    existing.endpoint_url = neighbour_endpoint_validate(endpoint_url=endpoint_url)
    existing.outbound_token = outbound_token
    existing.inbound_token_hash = token_hash(inbound_token)
    existing.inbound_token_hint = inbound_token[:6]
    existing.full_clean()
    existing.save()
    return existing
