"""Retry-After as a neighbour or a harvest source sends it, and the wait that
follows from it."""

from datetime import UTC, datetime

import pytest

from hubs.retry_after import MAX_RETRY_AFTER, retry_after_seconds, retry_countdown

NOW = datetime(2026, 12, 7, 21, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("3600", 3600.0),
        ("3601", MAX_RETRY_AFTER),
        ("9" * 40, MAX_RETRY_AFTER),
        ("Mon, 07 Dec 2026 21:00:30 GMT", 30.0),
        ("Mon, 07 Dec 2026 22:00:01 GMT", MAX_RETRY_AFTER),
        ("Mon, 07 Dec 2026 20:59:00 GMT", 0.0),
        ("Mon, 07 Dec 2026 21:00:30 -0000", 30.0),
        ("Mon, 07 Dec 2026 22:00:15 +0100", 15.0),
        (None, None),
        ("", None),
        ("-5", None),
        ("1.5", None),
        ("٣", None),
        ("soon", None),
        ("Mon, 99 Foo 2026 25:61:61 GMT", None),
        ("7" * 65, None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date_within_bounds(value, seconds):
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("retry_after", "backoff", "countdown"),
    [
        (None, 4.0, 4.0),  # nothing asked: the back-off
        (30.0, 4.0, 30.0),  # asked for longer: as asked
        (1.0, 4.0, 4.0),  # asked for less: the back-off still holds
        (0.0, 4.0, 4.0),
        (900.0, 4.0, 300.0),  # never past the cap
        (None, 500.0, 300.0),
    ],
)
def test_the_retry_waits_the_longer_of_backoff_and_asked_up_to_the_cap(
    retry_after, backoff, countdown
):
    assert (
        retry_countdown(retry_after=retry_after, backoff=backoff, cap=300.0)
        == countdown
    )
