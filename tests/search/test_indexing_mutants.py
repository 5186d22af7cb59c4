"""What a drain reports: the backlog never goes below zero."""

import pytest

from search.indexing import DrainResult


@pytest.mark.parametrize(
    ("latest", "watermark", "backlog"),
    [(5, 3, 2), (5, 5, 0), (3, 5, 0)],
    ids=["behind", "caught-up", "sequence-restored-below-the-watermark"],
)
def test_the_backlog_is_what_is_left_and_never_negative(latest, watermark, backlog):
    assert DrainResult(latest=latest, watermark=watermark).backlog == backlog
