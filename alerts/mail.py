"""The alerts' messages, in the subscriber's language, through Django's mail
API: a plain-text body, an HTML alternative, and the one-click unsubscribe
headers of RFC 2369 and RFC 8058 on every message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alerts.models import SavedSearch
from alerts.tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT, token_make
from hubs.identity import hub_identity
from search.labels import facet_label
from search.types import SearchHit


def _absolute(path: str) -> str:
    return f"{hub_identity().public_url}{path}"


def unsubscribe_url(saved: SavedSearch) -> str:
    """The one-click unsubscribe address of ``saved``."""
    token = token_make(saved, salt=UNSUBSCRIBE_SALT)
    return _absolute(reverse("alerts:unsubscribe", args=[token]))


def search_url(saved: SavedSearch) -> str:
    """The search page of the saved search."""
    path = reverse("search:search")
    return _absolute(f"{path}?{saved.query}" if saved.query else path)


def _message(
    saved: SavedSearch, *, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(saved)
    context = {
        **context,
        "hub_name": hub_identity().name,
        "search_url": search_url(saved),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"alerts/mail/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[saved.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"alerts/mail/{template}.html", context), "text/html"
    )
    return message


def confirmation_message(saved: SavedSearch) -> EmailMultiAlternatives:
    """The mail asking the address to confirm the saved search."""
    with translation.override(saved.language):
        token = token_make(saved, salt=CONFIRM_SALT)
        return _message(
            saved,
            subject=_("Confirm your saved search at %(hub)s")
            % {"hub": hub_identity().name},
            template="confirm",
            context={"confirm_url": _absolute(reverse("alerts:confirm", args=[token]))},
        )


def digest_message(
    saved: SavedSearch, *, hits: list[SearchHit], links: list[str], total: int
) -> EmailMultiAlternatives:
    """The digest of ``hits`` (with their ``links``), ``total`` matches in all."""
    with translation.override(saved.language):
        return _message(
            saved,
            subject=_("New and changed records for your saved search at %(hub)s")
            % {"hub": hub_identity().name},
            template="digest",
            context={
                "items": [
                    (hit, facet_label("kinds", hit.kind), link)
                    for hit, link in zip(hits, links, strict=True)
                ],
                "total": total,
            },
        )
