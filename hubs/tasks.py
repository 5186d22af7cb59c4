"""Celery tasks of the hubs app."""

import socket

from celery import shared_task

from hubs.services import heartbeat_record


@shared_task(bind=True, ignore_result=True)
def heartbeat_record_task(self) -> None:
    """Record this worker's liveness; /healthz reads it. Idempotent."""
    heartbeat_record(hostname=self.request.hostname or socket.gethostname())
