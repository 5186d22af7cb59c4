"""The uploaded files (``MEDIA_ROOT``) of a backup: one tar archive, checked
whole before a restore touches anything.

The database names these files (images and their renditions, documents); a
database restored without them shows broken images and dead download links.
The archive holds regular files only (a symbolic link could point anywhere on
the host, so it is left out with a log line). Its size, file count and SHA-256
are in the manifest: a restore refuses an archive that does not match, or
that holds anything but plain relative paths (an absolute path, ``..``, a
link, a device), before the database is replaced. Restoring writes the
backup's files over the same names and deletes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

logger = logging.getLogger(__name__)

MEDIA_ARCHIVE = "media.tar"
_HASH_PIECE_BYTES = 1024 * 1024


class MediaArchiveRefused(Exception):
    """The backup's media archive is damaged or unsafe; the message says why."""


@dataclass(frozen=True)
class MediaSummary:
    """What a media archive holds, as the manifest records it."""

    files: int
    bytes: int
    sha256: str

    def manifest(self) -> dict[str, Any]:
        return {"files": self.files, "bytes": self.bytes, "sha256": self.sha256}


def media_archive_write(*, root: Path, target: Path) -> MediaSummary:
    """Archive every regular file under ``root`` (none when it does not exist)
    into ``target``, in path order."""
    files = total = 0
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_symlink():
                logger.warning("backup: %s is a symbolic link, left out", path)
                continue
            if not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            archive.add(path, arcname=name, recursive=False)
            files += 1
            total += path.stat().st_size
    return MediaSummary(files=files, bytes=total, sha256=_sha256(target))


def media_archive_check(*, archive: Path, expected: dict[str, Any]) -> None:
    """Raise ``MediaArchiveRefused`` unless ``archive`` is the one the manifest
    describes (``expected``) and holds only regular files at plain relative
    paths."""
    if not archive.is_file():
        raise MediaArchiveRefused(f"{archive} is missing")
    if _sha256(archive) != expected.get("sha256"):
        raise MediaArchiveRefused(
            f"{archive} does not match its manifest (damaged or altered copy)"
        )
    files = total = 0
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                _member_check(member)
                files += 1
                total += member.size
    except tarfile.TarError as error:
        raise MediaArchiveRefused(f"{archive} is not readable: {error}") from None
    if (files, total) != (expected.get("files"), expected.get("bytes")):
        raise MediaArchiveRefused(
            f"{archive} holds {files} files of {total} bytes, its manifest "
            f"{expected.get('files')} of {expected.get('bytes')}"
        )


def media_archive_restore(*, archive: Path, root: Path) -> int:
    """Write the files of ``archive`` (checked by ``media_archive_check``) under
    ``root``, over files of the same name; the number written."""
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            _member_check(member)
            # The "data" filter refuses again what _member_check refuses, and
            # drops owners and unsafe permission bits.
            tar.extract(member, path=root, filter="data")
            written += 1
    return written


def _member_check(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile():
        raise MediaArchiveRefused(f"{member.name!r} is not a regular file")
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise MediaArchiveRefused(f"{member.name!r} is not a plain relative path")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while piece := handle.read(_HASH_PIECE_BYTES):
            digest.update(piece)
    return digest.hexdigest()
