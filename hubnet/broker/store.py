"""The messages of one broker file: SQLite in WAL mode, every change one transaction.

A message is a row. ``put`` is one INSERT; ``claim`` takes the oldest ready row
of a queue inside one ``BEGIN IMMEDIATE`` transaction and leases it to this
store's owner; ``delete`` (the ack) removes it; ``release`` (a requeue) makes it
ready again. A lease the owner stops renewing expires and the row becomes ready
for any consumer, so a killed consumer loses nothing.
"""

import logging
import os
import sqlite3
import threading
import time
import uuid
from pathlib import Path

logger = logging.getLogger(__name__)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS message ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"  # never reused: a late ack hits nothing
    " queue TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " owner TEXT,"  # NULL while ready
    " leased_until REAL)",
    "CREATE INDEX IF NOT EXISTS message_ready ON message (queue, id)"
    " WHERE owner IS NULL",
    "CREATE INDEX IF NOT EXISTS message_leased ON message (owner, leased_until)"
    " WHERE owner IS NOT NULL",
)
_READY = (
    "SELECT id, payload FROM message WHERE queue = ? AND owner IS NULL"
    " ORDER BY id LIMIT 1"
)
# Free pages kept before the file is shrunk (4 MB at SQLite's 4 KB pages).
_VACUUM_FREE_PAGES = 1024
_HOUSEKEEPING_SECONDS = 1.0

# Connections inherited through fork(): closing one in the child could disturb
# the parent's locks, so the child keeps them unused until it exits.
_INHERITED: list[sqlite3.Connection] = []


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    # Switching a new file to WAL takes an exclusive lock without waiting on the
    # busy timeout, so processes that open the same new file at once retry here.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            # Takes effect only on a new file, before its first table.
            connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            connection.execute("PRAGMA journal_mode = WAL").fetchall()
            # A commit survives a killed process; only a power cut may lose the last.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA journal_size_limit = 4194304")
            connection.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute("COMMIT")
            return connection
        except sqlite3.OperationalError as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if "locked" not in str(error) or time.monotonic() > deadline:
                connection.close()
                raise
            time.sleep(0.01)


class MessageStore:
    """One process's connection to a broker file; safe to share between threads."""

    def __init__(
        self, path: Path, *, lease_seconds: float, busy_timeout: float
    ) -> None:
        self.path = path
        self.lease_seconds = lease_seconds
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        self._pid = os.getpid()
        self._connection = _connect(self.path, self.busy_timeout)
        self.owner = uuid.uuid4().hex
        self._held: set[int] = set()
        # queue -> data_version at which that queue was seen empty: while no
        # other connection commits, polling it again cannot find anything.
        self._seen_empty: dict[str, int] = {}
        self._next_renewal = 0.0
        self._next_housekeeping = 0.0

    @property
    def _db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            _INHERITED.append(self._connection)
            self._open()
        return self._connection

    def _write(self, sql: str, parameters: tuple = ()) -> int:
        """Run one change in autocommit (one statement is one transaction)."""
        with self._lock:
            count = self._db.execute(sql, parameters).rowcount
            # This connection's own commits do not move its data_version.
            self._seen_empty.clear()
            return count

    def put(self, queue: str, payload: str) -> None:
        """Store one message; it is visible to consumers once this returns."""
        self._write(
            "INSERT INTO message (queue, payload) VALUES (?, ?)", (queue, payload)
        )

    def claim(self, queue: str) -> tuple[int, str] | None:
        """Lease the oldest ready message of ``queue`` to this store: (id, payload)."""
        with self._lock:
            db = self._db
            version = db.execute("PRAGMA data_version").fetchone()[0]
            if self._seen_empty.get(queue) == version:
                return None
            # A plain read first: an empty queue never takes the write lock.
            if db.execute(_READY, (queue,)).fetchone() is None:
                self._seen_empty[queue] = version
                return None
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(_READY, (queue,)).fetchone()
                if row is not None:
                    db.execute(
                        "UPDATE message SET owner = ?, leased_until = ? WHERE id = ?",
                        (self.owner, time.time() + self.lease_seconds, row[0]),
                    )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            if row is None:  # another consumer took it between the two reads
                return None
            self._held.add(row[0])
            return row[0], row[1]

    def delete(self, message_id: int) -> None:
        """Remove a message for good (acknowledged, or rejected without requeue)."""
        with self._lock:
            self._write("DELETE FROM message WHERE id = ?", (message_id,))
            self._held.discard(message_id)

    def release(self, message_id: int) -> None:
        """Make a message this store holds ready again (requeue)."""
        with self._lock:
            self._write(
                "UPDATE message SET owner = NULL, leased_until = NULL"
                " WHERE id = ? AND owner = ?",
                (message_id, self.owner),
            )
            self._held.discard(message_id)

    def maintain(self) -> None:
        """Renew this store's leases, free expired ones, shrink a grown file.

        Cheap enough to call on every poll: each part runs only when it is due."""
        now = time.time()
        with self._lock:
            if self._held and now >= self._next_renewal:
                self._write(
                    "UPDATE message SET leased_until = ? WHERE owner = ?",
                    (now + self.lease_seconds, self.owner),
                )
                self._next_renewal = now + self.lease_seconds / 3
            if now >= self._next_housekeeping:
                self._next_housekeeping = now + _HOUSEKEEPING_SECONDS
                self._expired_release(now)
                free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
                if free > _VACUUM_FREE_PAGES:
                    # execute() would step it once, freeing a single page.
                    self._db.executescript("PRAGMA incremental_vacuum;")

    def _expired_release(self, now: float) -> None:
        expired = self._db.execute(
            "SELECT 1 FROM message"
            " WHERE owner IS NOT NULL AND leased_until < ? LIMIT 1",
            (now,),
        ).fetchone()
        if expired is None:
            return
        count = self._write(
            "UPDATE message SET owner = NULL, leased_until = NULL"
            " WHERE owner IS NOT NULL AND leased_until < ?",
            (now,),
        )
        if count:
            logger.warning(
                "broker %s: %d message(s) of a consumer that stopped renewing"
                " its lease are ready again",
                self.path,
                count,
            )

    def ready_count(self, queue: str) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT count(*) FROM message WHERE queue = ? AND owner IS NULL",
                (queue,),
            ).fetchone()[0]

    def purge(self, queue: str) -> int:
        """Drop the ready messages of ``queue``; leased ones finish as usual."""
        return self._write(
            "DELETE FROM message WHERE queue = ? AND owner IS NULL", (queue,)
        )

    def queue_delete(self, queue: str) -> None:
        self._write("DELETE FROM message WHERE queue = ?", (queue,))

    def close(self) -> None:
        with self._lock:
            if self._pid != os.getpid():
                _INHERITED.append(self._connection)
            else:
                self._connection.close()
