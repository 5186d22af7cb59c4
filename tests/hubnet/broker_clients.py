"""Broker clients the broker tests start as separate processes.

Kept apart from the tests: a spawned process imports this module, and it must
not need Django.
"""

import hashlib
import os
import time
from pathlib import Path
from queue import Empty

from kombu import Connection

import hubnet.broker  # noqa: F401 - registers sqlite-broker://

QUEUE = "hammer"
LARGE_BYTES = 200_000


def broker_url(path: Path) -> str:
    return f"sqlite-broker:///{path}"


def _body(writer: int, seq: int) -> dict:
    size = LARGE_BYTES if seq % 25 == 0 else 100 + seq % 900
    data = (f"{writer}:{seq}:" * (size // 8 + 1))[:size]
    return {
        "writer": writer,
        "seq": seq,
        "data": data,
        "sha": hashlib.sha256(data.encode()).hexdigest(),
    }


def write(path: str, writer: int, count: int) -> None:
    with Connection(broker_url(Path(path))) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for seq in range(count):
            queue.put(_body(writer, seq))
        queue.close()


def consume(path: str, log: str, done, lease: float, hold_at: int = -1) -> None:
    """Log ``got`` before and ``ack`` after each ack; with ``hold_at`` stop
    acknowledging at that message and wait to be killed."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    options = {"polling_interval": 0.01, "visibility_timeout": lease}
    with Connection(broker_url(Path(path)), transport_options=options) as connection:
        queue = connection.SimpleQueue(QUEUE)
        received = 0
        while True:
            try:
                message = queue.get(timeout=0.5)
            except Empty:
                if done.is_set():
                    break
                continue
            body = message.payload
            whole = hashlib.sha256(body["data"].encode()).hexdigest() == body["sha"]
            key = f"{body['writer']} {body['seq']} {int(whole)}"
            os.write(fd, f"got {key}\n".encode())
            if received == hold_at:
                while True:
                    time.sleep(1)
            message.ack()
            os.write(fd, f"ack {key}\n".encode())
            received += 1
        queue.close()
    os.close(fd)
