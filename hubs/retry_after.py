"""When to ask again a neighbour or a harvest source that answered "not now".

A 429 or 503 may carry ``Retry-After`` (RFC 9110, 10.2.3): whole seconds or an
HTTP date. Asking sooner only earns another refusal (and, from a hub, counts
against its throttle again); so a retry waits at least that long, and at least
its own back-off, but never longer than the caller's cap.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A server may ask for anything; an hour is as long as any retry here waits.
MAX_RETRY_AFTER = 3600.0


def retry_after_seconds(
    value: str | None, *, now: datetime | None = None
) -> float | None:
    """The wait ``value`` asks for, in seconds within [0, ``MAX_RETRY_AFTER``];
    None when it is absent or neither whole seconds nor an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if text.isascii() and text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": a date in UTC (RFC 5322)
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def retry_countdown(*, retry_after: float | None, backoff: float, cap: float) -> float:
    """Seconds before the next try: the back-off or the asked wait, whichever is
    longer, at most ``cap``."""
    return min(cap, max(backoff, retry_after or 0.0))
