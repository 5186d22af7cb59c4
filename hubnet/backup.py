"""Back up a hub to a folder and restore it from one.

A backup folder holds ``manifest.json`` (the hub, the database vendor, the
migrations applied, the catalogue digest) and the database: a ``pg_dump``
custom-format archive for PostgreSQL, a copy made through SQLite's online
backup API for SQLite (both consistent while the hub runs), and unless left
out, the uploaded files (``hubnet.backup_media``). With ``include_secrets`` it
also holds ``secrets/``: the key files of the hub's folder and ``SECRET_KEY``,
readable by the owner only.

A restore loads the database, migrates it to this code, replays the whole
store into the search index and pokes the neighbours. The neighbours that pull
from this hub find its feed behind their cursor and read it again from the
start (``federation.services.sync``); this hub reads theirs again from the
cursors of the backup (equal versions are no-ops).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from federation.selectors import catalogue_digest
from federation.services.pokes import neighbours_poke_enqueue
from hubnet.backup_media import (
    MEDIA_ARCHIVE,
    MediaArchiveRefused,
    media_archive_check,
    media_archive_restore,
    media_archive_write,
)
from search.indexing import index_replay

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
PG_ARCHIVE = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
SECRETS = "secrets"
SECRET_KEY_FILE = "SECRET_KEY"  # noqa: S105 - a file name, not a secret
# Files of the hub's folder that are keys (a signing key, TLS keys).
KEY_PATTERNS = ("*.key", "*.pem")
FORMAT = 1


class BackupError(Exception):
    """A backup or restore cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore did."""

    path: Path
    vendor: str
    digest: dict[str, Any]
    secrets: list[str] = field(default_factory=list)
    media_files: int | None = None  # None: the uploaded files were left out


def _pg_tool(name: str) -> str:
    folder = settings.BACKUP_PG_BIN_DIR
    tool = str(Path(folder) / name) if folder else shutil.which(name)
    if not tool or not Path(tool).exists():
        raise BackupError(
            f"{name} was not found (set BACKUP_PG_BIN_DIR to the folder of the "
            "PostgreSQL client tools matching the server's version)"
        )
    return tool


def _pg_args() -> tuple[list[str], dict[str, str]]:
    database = connection.settings_dict
    args = ["--dbname", database["NAME"], "--no-password"]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    environ = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if database.get("PASSWORD"):
        environ["PGPASSWORD"] = str(database["PASSWORD"])
    return args, environ


def _run(command: list[str], *, environ: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            command,
            env=environ,
            capture_output=True,
            text=True,
            timeout=settings.BACKUP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(
            f"{Path(command[0]).name} took longer than BACKUP_TIMEOUT "
            f"({settings.BACKUP_TIMEOUT}s)"
        ) from error
    if done.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed: {done.stderr.strip()[-1500:]}"
        )


def _sqlite_copy(*, source: str, target: str) -> None:
    """Copy one SQLite database onto another through the online backup API."""
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _migrations() -> list[list[str]]:
    rows = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in rows)


def hub_backup(
    *, path: Path, include_secrets: bool = False, include_media: bool = True
) -> BackupResult:
    """Write a backup of this hub into the new or empty folder ``path``."""
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} is not empty; give a new folder")
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    vendor = connection.vendor
    digest = catalogue_digest()
    if vendor == "postgresql":
        args, environ = _pg_args()
        target = path / PG_ARCHIVE
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *args],
            environ=environ,
        )
    elif vendor == "sqlite":
        connection.close()
        _sqlite_copy(
            source=str(connection.settings_dict["NAME"]), target=str(path / SQLITE_COPY)
        )
    else:
        raise BackupError(f"no backup for a {vendor} database")
    media = None
    if include_media:
        media = media_archive_write(
            root=Path(settings.MEDIA_ROOT), target=path / MEDIA_ARCHIVE
        )
    secrets = _secrets_write(path / SECRETS) if include_secrets else []
    manifest = {
        "format": FORMAT,
        "hub": settings.HUB_SLUG,
        "vendor": vendor,
        "createdAt": dt.datetime.now(dt.UTC).isoformat(),
        "migrations": _migrations(),
        "catalogue": digest,
        "secrets": secrets,
        "media": media.manifest() if media else None,
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return BackupResult(
        path=path,
        vendor=vendor,
        digest=digest,
        secrets=secrets,
        media_files=media.files if media else None,
    )


def _secrets_write(folder: Path) -> list[str]:
    folder.mkdir(mode=0o700)
    written = []
    key_file = folder / SECRET_KEY_FILE
    key_file.touch(mode=0o600)
    key_file.write_text(settings.SECRET_KEY)
    written.append(SECRET_KEY_FILE)
    for pattern in KEY_PATTERNS:
        for source in sorted(Path(settings.HUB_VAR_DIR).glob(pattern)):
            target = folder / source.name
            target.touch(mode=0o600)
            target.write_bytes(source.read_bytes())
            written.append(source.name)
    return written


def backup_manifest_read(path: Path) -> dict[str, Any]:
    """The manifest of the backup in ``path``; raises ``BackupError``."""
    try:
        manifest = json.loads((Path(path) / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} holds no readable {MANIFEST}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path}/{MANIFEST} is not a hubnet backup of format {FORMAT}"
        )
    return manifest


def hub_restore(*, path: Path, restore_secrets: bool = False) -> BackupResult:
    """Replace this hub's database with the backup in ``path`` (see the module
    docstring); refuses a backup of another hub or another database vendor."""
    path = Path(path)
    manifest = backup_manifest_read(path)
    vendor = connection.vendor
    if manifest["hub"] != settings.HUB_SLUG:
        raise BackupError(
            f"the backup is of hub {manifest['hub']!r}, this is {settings.HUB_SLUG!r}"
        )
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"the backup is of a {manifest['vendor']} database, this hub uses {vendor}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = sorted({tuple(pair) for pair in manifest["migrations"]} - known)
    if newer:
        raise BackupError(
            "the backup was made by a newer hubnet (migrations unknown here: "
            f"{', '.join('.'.join(pair) for pair in newer[:5])}); install that "
            "version or a later one first"
        )
    media = manifest.get("media")
    if media is not None:  # checked whole before the database is touched
        try:
            if not isinstance(media, dict):
                raise MediaArchiveRefused(f"{MANIFEST} describes them wrongly")
            media_archive_check(archive=path / MEDIA_ARCHIVE, expected=media)
        except MediaArchiveRefused as refused:
            raise BackupError(
                f"uploaded files refused, nothing restored: {refused}"
            ) from None
    if vendor == "postgresql":
        args, environ = _pg_args()
        connection.close()
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(path / PG_ARCHIVE),
            ],
            environ=environ,
        )
    else:
        connection.close()
        _sqlite_copy(
            source=str(path / SQLITE_COPY), target=str(connection.settings_dict["NAME"])
        )
    media_files = None
    if media is not None:
        media_files = media_archive_restore(
            archive=path / MEDIA_ARCHIVE, root=Path(settings.MEDIA_ROOT)
        )
    call_command("migrate", interactive=False, verbosity=0)
    index_replay()
    neighbours_poke_enqueue()
    secrets = _secrets_restore(path / SECRETS) if restore_secrets else []
    digest = catalogue_digest()
    logger.warning(
        "restored hub %s from %s (backup of %s): %d records; the index is "
        "replayed and the neighbours are poked",
        settings.HUB_SLUG,
        path,
        manifest["createdAt"],
        digest["records"],
    )
    return BackupResult(
        path=path,
        vendor=vendor,
        digest=digest,
        secrets=secrets,
        media_files=media_files,
    )


def _secrets_restore(folder: Path) -> list[str]:
    restored = []
    for source in sorted(folder.glob("*")) if folder.is_dir() else []:
        if source.name == SECRET_KEY_FILE:
            continue  # SECRET_KEY is configuration: the operator sets it
        target = Path(settings.HUB_VAR_DIR) / source.name
        target.touch(mode=0o600)
        target.chmod(0o600)
        target.write_bytes(source.read_bytes())
        restored.append(source.name)
    return restored
