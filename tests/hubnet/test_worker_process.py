"""A separate Celery worker process (not eager mode) executes a task."""

from hubnet.processes import wait_until
from hubs.models import WorkerHeartbeat
from hubs.tasks import heartbeat_record_task


def test_worker_process_records_a_heartbeat(celery_worker_process):
    # given: the worker announces itself on start; forget that
    WorkerHeartbeat.objects.all().delete()
    # when
    heartbeat_record_task.apply_async(queue=celery_worker_process)
    # then
    assert wait_until(WorkerHeartbeat.objects.exists, timeout=30)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname.startswith("hub-worker@")
