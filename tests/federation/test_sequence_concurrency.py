"""Concurrent writers commit out of order; a reader following the feed must still
see every change exactly once. PostgreSQL only: SQLite lets one writer at a time,
so there the writers cannot interleave and the test could not fail."""

import random
import threading
import time

import pytest
from django.db import connection, transaction

from federation.selectors import changes_after
from federation.services.store import record_publish
from tests.federation.factories import body_for

WRITERS = 6
RECORDS_PER_WRITER = 15


@pytest.mark.postgresql(reason="SQLite serialises the writers")
@pytest.mark.django_db(transaction=True)
def test_reader_never_skips_a_change_of_concurrent_writers():
    # given: writers that hold their transaction open for a random time after
    # taking a sequence value, so commits would interleave if they could
    published: list[str] = []
    published_lock = threading.Lock()
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(index: int) -> None:
        rng = random.Random(index)
        try:
            for number in range(RECORDS_PER_WRITER):
                with transaction.atomic():
                    stored = record_publish(
                        kind="organisation",
                        body=body_for("organisation", name=f"Org {index}-{number}"),
                    )
                    time.sleep(rng.uniform(0, 0.01))
                with published_lock:
                    published.append(stored.record_id)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    seen: list[str] = []
    positions: list[int] = []

    def reader() -> None:
        position = 0
        try:
            while True:
                finished = done.is_set()
                page = changes_after(after_seq=position, first=7)
                for record in page:
                    positions.append(record.seq)
                    seen.append(record.record_id)
                    position = record.seq
                if finished and not page:
                    return
                time.sleep(0.001)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when
    reader_thread = threading.Thread(target=reader)
    writer_threads = [
        threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)
    ]
    reader_thread.start()
    for thread in writer_threads:
        thread.start()
    for thread in writer_threads:
        thread.join(timeout=120)
    done.set()
    reader_thread.join(timeout=60)

    # then
    assert errors == []
    assert len(published) == WRITERS * RECORDS_PER_WRITER
    assert sorted(seen) == sorted(published)
    assert len(seen) == len(set(seen))
    assert positions == sorted(positions)
    assert positions == list(range(1, len(published) + 1))
