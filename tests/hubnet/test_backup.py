"""``hubnet backup`` / ``hubnet restore``: backup, wipe, restore gives back the
same catalogue, the same neighbour cursors and a full index; keys only when
asked, readable by the owner only."""

import hashlib
import io
import json
import shutil
import stat
import tarfile
from pathlib import Path

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


# Uploaded files ---------------------------------------------------------------

MEDIA = {
    "original_images/harbour.jpg": b"\xff\xd8 a photo",
    "images/harbour.max-800x600.jpg": b"\xff\xd8 its rendition",
    "documents/impact assessment (v2).pdf": b"%PDF-1.7 " + bytes(range(256)) * 40,
}


def _media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, content in MEDIA.items():
        target = settings.MEDIA_ROOT / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return settings.MEDIA_ROOT


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_uploaded_files_are_backed_up_and_restored_over_what_is_there(
    hub_with_data, tmp_path, settings
):
    # given: uploaded files, and a link out of the media folder
    media = _media_root(settings, tmp_path)
    (tmp_path / "outside.txt").write_text("not the hub's")
    (media / "link.txt").symlink_to(tmp_path / "outside.txt")
    # when: backed up, then lost or changed, and one file added after the backup
    backup = hub_backup(path=tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    shutil.rmtree(media / "original_images")
    (media / "documents" / "impact assessment (v2).pdf").write_bytes(b"truncated")
    (media / "documents" / "later.pdf").write_bytes(b"uploaded after")
    restored = hub_restore(path=tmp_path / "backup")
    # then: every file comes back as it was; nothing newer is deleted; the link
    # was left out
    assert backup.media_files == restored.media_files == 3
    assert manifest["media"]["files"] == 3
    assert manifest["media"]["bytes"] == sum(len(c) for c in MEDIA.values())
    (media / "link.txt").unlink()
    assert _files(media) == {**MEDIA, "documents/later.pdf": b"uploaded after"}


def test_without_media_the_files_in_place_are_kept(hub_with_data, tmp_path, settings):
    # given: a backup made with --no-media
    media = _media_root(settings, tmp_path)
    backup = hub_backup(path=tmp_path / "backup", include_media=False)
    (media / "documents" / "later.pdf").write_bytes(b"uploaded after")
    # when
    restored = hub_restore(path=tmp_path / "backup")
    # then
    assert (backup.media_files, restored.media_files) == (None, None)
    assert not (tmp_path / "backup" / "media.tar").exists()
    assert _files(media) == {**MEDIA, "documents/later.pdf": b"uploaded after"}


def _hostile_archive(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """Replace the backup's media archive with ``members`` and make its manifest
    match, as someone altering the backup would."""
    archive = path / "media.tar"
    with tarfile.open(archive, "w") as tar:
        for info, content in members:
            info.size = len(content) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(content) if info.isfile() else None)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["media"] = {
        "files": len(members),
        "bytes": sum(len(content) for info, content in members if info.isfile()),
        "sha256": hashlib.sha256(archive.read_bytes()).hexdigest(),
    }
    (path / "manifest.json").write_text(json.dumps(manifest))


def _symlink(name: str, target: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (tarfile.TarInfo("../escaped.txt"), "'../escaped.txt' is not a plain relative"),
        (tarfile.TarInfo("/var/escaped.txt"), "'/var/escaped.txt' is not a plain"),
        (_symlink("images/x.jpg", "/etc/passwd"), "'images/x.jpg' is not a regular"),
    ],
    ids=["dot-dot", "absolute", "symlink"],
)
def test_an_altered_media_archive_is_refused_before_anything_is_restored(
    hub_with_data, tmp_path, settings, member, reason
):
    # given: a backup whose archive was replaced by one with a hostile member
    media = _media_root(settings, tmp_path / "hub")
    hub_backup(path=tmp_path / "backup")
    _hostile_archive(tmp_path / "backup", [(member, b"owned")])
    StoredRecord.objects.filter(pk__in=StoredRecord.objects.values("pk")[:5]).delete()
    digest = catalogue_digest()
    # when / then: refused with the member named; database and files untouched
    with pytest.raises(BackupError) as refused:
        hub_restore(path=tmp_path / "backup")
    assert str(refused.value).startswith("uploaded files refused, nothing restored: ")
    assert reason in str(refused.value)
    assert catalogue_digest() == digest
    assert _files(media) == MEDIA
    assert not (tmp_path / "hub" / "escaped.txt").exists()


def test_a_damaged_media_archive_is_refused_before_anything_is_restored(
    hub_with_data, tmp_path, settings
):
    # given: a backup whose archive lost its last bytes (an interrupted copy)
    _media_root(settings, tmp_path)
    hub_backup(path=tmp_path / "backup")
    archive = tmp_path / "backup" / "media.tar"
    archive.write_bytes(archive.read_bytes()[:-1024])
    StoredRecord.objects.filter(pk__in=StoredRecord.objects.values("pk")[:5]).delete()
    digest = catalogue_digest()
    # when / then
    with pytest.raises(BackupError, match="does not match its manifest"):
        hub_restore(path=tmp_path / "backup")
    assert catalogue_digest() == digest
