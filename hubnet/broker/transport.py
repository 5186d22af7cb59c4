"""The kombu transport over a :class:`~hubnet.broker.store.MessageStore`.

kombu's virtual transport supplies the AMQP emulation (exchanges, bindings,
consumers, prefetch); this module stores the messages and makes the ack real:
an acknowledged message is deleted, a requeued one released, an unacknowledged
one stays leased to its consumer until the consumer dies and the lease expires.
"""

import json
import sqlite3
from pathlib import Path
from queue import Empty

from kombu.transport import virtual

from hubnet.broker.store import MessageStore

DEFAULT_LEASE_SECONDS = 60.0
DEFAULT_BUSY_TIMEOUT = 10.0


class QoS(virtual.QoS):
    """Acks and rejects reach the file, not only this process's memory."""

    def ack(self, delivery_tag: int) -> None:
        self.channel.store.delete(delivery_tag)
        super().ack(delivery_tag)

    def reject(self, delivery_tag: int, requeue: bool = False) -> None:
        if not requeue:
            self.channel.store.delete(delivery_tag)
        # with requeue the base class calls Channel._restore_at_beginning
        super().reject(delivery_tag, requeue=requeue)


class Channel(virtual.Channel):
    """A channel whose queues are rows of the broker file."""

    QoS = QoS

    def __init__(self, connection, **kwargs) -> None:
        super().__init__(connection, **kwargs)
        self._no_ack_queues: set[str] = set()

    @property
    def store(self) -> MessageStore:
        return self.connection.store

    def _put(self, queue: str, message: dict, **kwargs) -> None:
        self.store.put(queue, json.dumps(message))

    def _get(self, queue: str, timeout: float | None = None) -> dict:  # noqa: ARG002  kombu Channel._get signature
        claimed = self.store.claim(queue)
        if claimed is None:
            raise Empty()
        message_id, payload = claimed
        if queue in self._no_ack_queues:
            self.store.delete(message_id)  # nobody will acknowledge it
        message = json.loads(payload)
        # The row id is the tag: unique for the file's lifetime, so ack and
        # requeue name the row itself.
        message["properties"]["delivery_tag"] = message_id
        return message

    def basic_consume(self, queue, no_ack, callback, consumer_tag, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, callback, consumer_tag, **kwargs)

    def basic_cancel(self, consumer_tag):
        self._no_ack_queues.discard(self._tag_to_queue.get(consumer_tag))
        return super().basic_cancel(consumer_tag)

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack and queue not in self._no_ack_queues:
            self.store.delete(message.delivery_tag)
        return message

    def _size(self, queue: str) -> int:
        return self.store.ready_count(queue)

    def _purge(self, queue: str) -> int:
        return self.store.purge(queue)

    def _delete(self, queue: str, *args, **kwargs) -> None:
        self.store.queue_delete(queue)

    def _restore(self, message: virtual.Message) -> None:
        # The row is still there, leased: releasing it keeps its place in line.
        self.store.release(message.delivery_tag)

    def _restore_at_beginning(self, message: virtual.Message) -> None:
        self._restore(message)

    def drain_events(self, timeout: float | None = None, callback=None):
        # Every poll, even one that may not consume: leases stay renewed while
        # the prefetch window is full (a task is running).
        self.store.maintain()
        return super().drain_events(timeout=timeout, callback=callback)


class Transport(virtual.Transport):
    """``sqlite-broker:///<path>``: one SQLite file holds every queue of a hub.

    Transport options: ``polling_interval`` (seconds between empty polls),
    ``visibility_timeout`` (lease of an unacknowledged message, renewed while
    its consumer polls), ``busy_timeout`` (wait for another writer, seconds).
    """

    Channel = Channel
    polling_interval = 0.1
    default_port = 0  # type: ignore[assignment]  # kombu declares None
    driver_type = "sqlite"
    driver_name = "sqlite3"
    # kombu types both as a one-element tuple; they are tuples of any length.
    connection_errors = (*virtual.Transport.connection_errors, sqlite3.OperationalError)  # type: ignore[assignment]
    channel_errors = (*virtual.Transport.channel_errors, sqlite3.DatabaseError)  # type: ignore[assignment]
    # No fanout: Celery then leaves out remote control (the pidbox), which
    # would need bindings shared between processes.
    implements = virtual.Transport.implements.extend(
        asynchronous=False, exchange_type=frozenset(["direct", "topic"])
    )

    def __init__(self, client, **kwargs) -> None:
        super().__init__(client, **kwargs)
        path = client.virtual_host
        if not path or path == "/":
            raise ValueError(
                "sqlite-broker:// needs the broker file, e.g. "
                "sqlite-broker:////var/hubnet/broker.sqlite3"
            )
        options = client.transport_options
        self.path = Path(path)
        self.lease_seconds = float(
            options.get("visibility_timeout", DEFAULT_LEASE_SECONDS)
        )
        self.busy_timeout = float(options.get("busy_timeout", DEFAULT_BUSY_TIMEOUT))
        self._store: MessageStore | None = None

    @property
    def store(self) -> MessageStore:
        if self._store is None:
            self._store = MessageStore(
                self.path,
                lease_seconds=self.lease_seconds,
                busy_timeout=self.busy_timeout,
            )
        return self._store

    def establish_connection(self):
        self.store  # noqa: B018 - opens the file now, so a broken one fails here
        return super().establish_connection()

    def close_connection(self, connection) -> None:
        # Channels first: closing them requeues what they still hold.
        super().close_connection(connection)
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def default_connection_params(self) -> dict:
        return {"port": self.default_port, "hostname": None}  # a file, no host

    def driver_version(self) -> str:
        return sqlite3.sqlite_version
