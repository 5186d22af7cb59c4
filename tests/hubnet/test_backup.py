"""``hubnet backup`` / ``hubnet restore``: backup, wipe, restore gives back the
same catalogue, the same neighbour cursors and a full index; keys only when
asked, readable by the owner only."""

import stat

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from federation.models import StoredRecord, SyncState
from federation.records import record_validate
from federation.selectors import catalogue_digest
from federation.services.store import records_apply
from hubnet.backup import BackupError, hub_backup, hub_restore
from hubs.services import neighbour_create
from search.indexing import index_drain
from search.models import IndexWatermark
from tests.federation.factories import wire_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hub_with_data():
    """Twelve records from child nl, two neighbours with cursors, an index
    drained to the end."""
    child = neighbour_create(
        slug="nl",
        name="NL",
        role="child",
        endpoint_url="http://127.0.0.1:9",
        outbound_token="o" * 40,
    ).neighbour
    peer = neighbour_create(
        slug="be",
        name="BE",
        role="peer",
        endpoint_url="http://127.0.0.1:9",
        outbound_token="o" * 40,
    ).neighbour
    SyncState.objects.create(
        neighbour=child, cursor="c12", local_position_seq=12, remote_latest_seq=12
    )
    SyncState.objects.create(
        neighbour=peer, cursor="c3", local_position_seq=3, remote_latest_seq=9
    )
    records = [record_validate(wire_record()) for _ in range(12)]
    with transaction.atomic():
        records_apply(records=records, source="nl", role="child")
    IndexWatermark.objects.update_or_create(pk=1, defaults={"indexed_seq": 12})


def _cursors() -> dict[str, tuple[str, int, int]]:
    return {
        state.neighbour.slug: (
            state.cursor,
            state.local_position_seq,
            state.remote_latest_seq,
        )
        for state in SyncState.objects.select_related("neighbour")
    }


def test_backup_wipe_restore_gives_the_same_hub(
    hub_with_data, tmp_path, search_settings
):
    # given: a backup of the hub
    digest, cursors = catalogue_digest(), _cursors()
    backup = hub_backup(path=tmp_path / "backup")
    assert backup.digest == digest
    assert backup.secrets == []
    # when: the database is wiped and the backup restored
    call_command("flush", interactive=False, verbosity=0)
    assert StoredRecord.objects.count() == 0
    restored = hub_restore(path=tmp_path / "backup")
    # then: the same catalogue and cursors
    assert restored.digest == digest
    assert catalogue_digest() == digest
    assert _cursors() == cursors
    # and the whole store is sent to the index again
    assert IndexWatermark.objects.get(pk=1).indexed_seq == 0
    drained = index_drain()
    assert (drained.written + drained.stale, drained.failed) == (12, 0)
    assert IndexWatermark.objects.get(pk=1).indexed_seq == 12


def test_secrets_only_when_asked_and_owner_only(hub_with_data, tmp_path, settings):
    # given: a signing key in the hub's folder
    settings.HUB_VAR_DIR = tmp_path / "hub"
    settings.HUB_VAR_DIR.mkdir()
    key = settings.HUB_VAR_DIR / "signing.key"
    key.write_bytes(b"private key bytes")
    # when
    plain = hub_backup(path=tmp_path / "plain")
    secret = hub_backup(path=tmp_path / "secret", include_secrets=True)
    # then
    assert not (tmp_path / "plain" / "secrets").exists()
    assert plain.secrets == []
    assert secret.secrets == ["SECRET_KEY", "signing.key"]
    for name in secret.secrets:
        mode = stat.S_IMODE((tmp_path / "secret" / "secrets" / name).stat().st_mode)
        assert mode == 0o600, name
    assert (tmp_path / "secret" / "secrets" / "SECRET_KEY").read_text() == (
        settings.SECRET_KEY
    )
    # and a restore asked to puts the key back, owner-only
    key.unlink()
    restored = hub_restore(path=tmp_path / "secret", restore_secrets=True)
    assert restored.secrets == ["signing.key"]
    assert key.read_bytes() == b"private key bytes"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_restore_refuses_another_hubs_backup(hub_with_data, tmp_path, settings):
    # given
    hub_backup(path=tmp_path / "backup")
    settings.HUB_SLUG = "another-hub"
    digest = catalogue_digest()
    # when / then: refused, nothing changed
    with pytest.raises(BackupError, match="the backup is of hub"):
        hub_restore(path=tmp_path / "backup")
    assert catalogue_digest() == digest


def test_backup_refuses_a_folder_in_use(hub_with_data, tmp_path):
    # given
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    # when / then
    with pytest.raises(BackupError, match="is not empty"):
        hub_backup(path=tmp_path / "used")
    assert (tmp_path / "used" / "notes.txt").read_text() == "mine"


def test_restore_refuses_what_is_no_backup(tmp_path):
    with pytest.raises(BackupError, match="no readable manifest.json"):
        hub_restore(path=tmp_path)
    assert connection.vendor in {"postgresql", "sqlite"}
