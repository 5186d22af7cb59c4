"""/metrics during a sync from a slow neighbour: the lag shows what is left of
its feed, page by page, and falls to zero when the sync is through."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from federation.models import SyncState
from federation.services.sync import neighbour_sync
from tests.federation.factories import wire_record
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, scripted_peer, slow
from tests.hubnet.metrics_scrape import TOKEN, metrics_scrape

PAGE = 10
PAGES = 3
DELAY = 1.0
NL = (("neighbour", "nl"), ("role", "child"))


def _page(number: int):
    first = number * PAGE + 1
    wires = [wire_record() for _ in range(PAGE)]
    answer = feed_answer(
        wires,
        end_cursor=f"c{first + PAGE - 1}",
        has_next=number < PAGES - 1,
        latest=PAGE * PAGES,
        first_sequence=first,
    )
    return slow(DELAY, lambda request: answer)


@pytest.mark.django_db(transaction=True)
def test_lag_rises_and_falls_during_a_slow_sync(settings):
    # given: a child we were level with ten minutes ago, which now has three
    # pages of changes and answers each page after a second
    settings.METRICS_TOKEN = TOKEN
    client = Client()
    with scripted_peer([_page(n) for n in range(PAGES)]) as (url, _peer):
        neighbour = child_at(url)
        SyncState.objects.filter(neighbour=neighbour).update(
            last_success_at=timezone.now() - timedelta(seconds=600)
        )
        before = metrics_scrape(client)

        def sync() -> None:
            try:
                neighbour_sync(neighbour_id=neighbour.pk)
            finally:
                connection.close()

        # when: the sync runs while /metrics is scraped every 100 ms
        worker = threading.Thread(target=sync)
        worker.start()
        lags: list[float] = []
        since: list[float] = []
        while worker.is_alive():
            samples = metrics_scrape(client)
            lags.append(samples[("hubnet_neighbour_lag_changes", NL)])
            since.append(samples[("hubnet_neighbour_seconds_since_success", NL)])
            time.sleep(0.1)
        worker.join()
        after = metrics_scrape(client)
    # then: level, then 20 and 10 changes behind as pages commit, level again
    assert before[("hubnet_neighbour_lag_changes", NL)] == 0
    seen = [lag for i, lag in enumerate(lags) if i == 0 or lags[i - 1] != lag]
    assert seen[:3] == [0, 20, 10]
    assert after[("hubnet_neighbour_lag_changes", NL)] == 0
    assert after[("hubnet_neighbour_latest_sequence", NL)] == PAGE * PAGES
    assert after[("hubnet_records_held", (("received_from", "nl"),))] == PAGE * PAGES
    # and the time since the last success grew while the sync was under way (the
    # last samples may fall between its success and the thread's end) and
    # reset after
    under_way = [moment for lag, moment in zip(lags, since, strict=True) if lag]
    assert since[0] >= 600
    assert under_way
    assert min(under_way) >= 600
    assert after[("hubnet_neighbour_seconds_since_success", NL)] < 5
