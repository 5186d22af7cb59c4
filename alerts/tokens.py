"""Signed links of a saved search: confirm (expires) and unsubscribe (does not).
The signature binds the id to the address's hash, so a link cannot be guessed
or moved to another subscription."""

from __future__ import annotations

from django.core import signing

from alerts.models import SavedSearch

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class TokenInvalid(ValueError):
    """A link is forged, damaged or (confirm links) expired."""


def token_make(saved: SavedSearch, *, salt: str) -> str:
    """The token of ``saved`` for the action ``salt`` names."""
    return signing.dumps([saved.pk, saved.email_hash[:16]], salt=salt)


def token_read(token: str, *, salt: str, max_age: int | None = None) -> tuple[int, str]:
    """The id and address hash prefix in ``token``; raises ``TokenInvalid``."""
    try:
        pk, hash_prefix = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise TokenInvalid(str(error)) from None
    if not isinstance(pk, int) or not isinstance(hash_prefix, str):
        raise TokenInvalid("malformed token")
    return pk, hash_prefix
