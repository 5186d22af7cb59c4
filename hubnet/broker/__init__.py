"""The embedded Celery broker: ``sqlite-broker:///<path>``, one SQLite file per hub.

Why not kombu's filesystem transport: a message is a file written in several
steps and a reader can take it before the writer is done; a worker then dies on
half a JSON document. Why not kombu's SQLAlchemy transport: it needs SQLAlchemy,
marks a delivered row invisible and never deletes it (the file grows forever),
and keeps acks in process memory, so a killed worker's message is gone.

Here a write is one INSERT and a read claims one row inside one ``BEGIN
IMMEDIATE`` transaction (WAL journal, busy timeout), so no reader sees half a
message. An ack deletes the row; an unacknowledged row is leased to its consumer,
which renews the lease while it polls; when a consumer is killed its lease
expires and the message is delivered again (at least once, like Redis).
Direct and topic exchanges only (kombu keeps bindings per process, and every
Celery producer declares its queue); no fanout, so no Celery remote control.
"""

from kombu.transport import TRANSPORT_ALIASES

SCHEME = "sqlite-broker"
# A publish crosses up to three hubs and waits for one poll at each; a killed
# worker's message is delivered again a lease later.
TRANSPORT_OPTIONS = {"polling_interval": 0.05, "visibility_timeout": 60}

TRANSPORT_ALIASES[SCHEME] = "hubnet.broker.transport:Transport"
