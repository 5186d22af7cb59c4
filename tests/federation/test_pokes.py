"""Pokes are merged: at most one is pending per neighbour, however many changes
commit, and a change after a poke was sent queues the next one."""

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from federation.models import PokeState, StoredRecord
from federation.services.pokes import poke_claim, poke_clear
from federation.services.store import PublishItem, records_publish
from hubnet.processes import wait_until
from hubs.services import neighbour_create
from tests.conftest import free_port, test_database_url
from tests.federation.factories import body_for
from tests.federation.peers import fixed, scripted_peer, slow

POKE_ACCEPTED = b'{"data": {"poke": {"accepted": true}}}'


@pytest.fixture
def parent(db):
    return neighbour_create(
        slug="eu", name="EU", role="parent", endpoint_url="http://127.0.0.1:1"
    ).neighbour


def test_a_second_claim_waits_until_the_first_is_cleared(parent):
    # when / then
    assert poke_claim(neighbour_id=parent.pk) is True
    assert poke_claim(neighbour_id=parent.pk) is False
    poke_clear(neighbour_id=parent.pk)
    assert poke_claim(neighbour_id=parent.pk) is True


def test_a_claim_expires_so_a_lost_poke_cannot_block_pokes(parent, settings):
    # given: a claim whose task was lost, just past its TTL
    settings.SYNC_POKE_PENDING_TTL = 60
    PokeState.objects.create(
        neighbour=parent, pending_until=timezone.now() - timedelta(seconds=1)
    )
    # when / then
    assert poke_claim(neighbour_id=parent.pk) is True
    pending = PokeState.objects.get().pending_until
    assert timedelta(seconds=59) < pending - timezone.now() <= timedelta(seconds=60)
    assert poke_claim(neighbour_id=parent.pk) is False


def test_a_burst_of_publishes_sends_one_or_two_pokes(celery_worker_process):
    # given: a parent and a peer that take a while to answer a poke, and a real
    # worker that sends the pokes
    received: dict[str, list[float]] = {"eu": [], "be": []}
    lock = threading.Lock()

    def counting(slug):
        def responder(request):
            with lock:
                received[slug].append(time.monotonic())
            return slow(5, fixed(200, POKE_ACCEPTED))(request)

        return responder

    with (
        scripted_peer([counting("eu")]) as (eu_url, _),
        scripted_peer([counting("be")]) as (be_url, _),
    ):
        for slug, role, url in (("eu", "parent", eu_url), ("be", "peer", be_url)):
            neighbour_create(
                slug=slug,
                name=slug,
                role=role,
                endpoint_url=url,
                outbound_token="o" * 40,
            )
        # when: 50 publishes, each in its own transaction
        for _ in range(50):
            records_publish(
                items=[PublishItem(kind="dataset", body=body_for("dataset"))]
            )
        last_commit = time.monotonic()
        # then: each neighbour got one poke, or two when the burst outlasted the
        # first one's pickup, and the last one left after the last commit (so the
        # neighbour's pull saw every change)
        assert wait_until(
            lambda: (
                all(received.values())
                and not PokeState.objects.filter(pending_until__isnull=False).exists()
            ),
            timeout=60,
        )
        time.sleep(1)
        with lock:
            counts = {slug: len(times) for slug, times in received.items()}
            last = {slug: times[-1] for slug, times in received.items()}
    assert set(counts.values()) <= {1, 2}, counts
    assert min(last.values()) > last_commit


def test_a_publish_commits_and_returns_when_the_broker_is_down(transactional_db):
    # given: a parent and a child to poke and sync, and a hub process whose
    # broker is a closed port
    parent = neighbour_create(
        slug="eu", name="EU", role="parent", endpoint_url="http://127.0.0.1:1"
    ).neighbour
    child = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url="http://127.0.0.1:1"
    ).neighbour
    script = (
        "import json, time\n"
        "from django.db import transaction\n"
        "from federation.services.store import PublishItem, records_publish\n"
        "from federation.services.sync import sync_enqueue\n"
        "started = time.monotonic()\n"
        f"body = {body_for('dataset')!r}\n"
        "records_publish(items=[PublishItem(kind='dataset', body=body)])\n"
        "with transaction.atomic():\n"
        f"    sync_enqueue(neighbour_id={child.pk}, trigger='test')\n"
        "print('ELAPSED', time.monotonic() - started)\n"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubnet.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    # when
    done = subprocess.run(
        [sys.executable, "-m", "hubnet", "shell", "--no-imports", "-c", script],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then: it committed, returned within seconds and said what it could not queue
    assert done.returncode == 0, done.stderr
    elapsed = float(done.stdout.split("ELAPSED")[-1])
    assert elapsed < 5, elapsed
    assert StoredRecord.objects.count() == 1
    warning = "WARNING federation.services.pokes could not queue"
    assert f"{warning} a poke of neighbour {parent.pk}: OperationalError" in done.stderr
    assert f"{warning} a sync of neighbour {child.pk}: OperationalError" in done.stderr
    # the claim was freed, so the next change pokes again
    assert PokeState.objects.get(neighbour=parent).pending_until is None
