"""Log lines: LOG_FORMAT=json writes one object a line with the hub, the request
id and the Celery task id; the default stays readable (the demo's)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TEST_VAR_DIR, test_database_url

# Run as a hub: one request the hub answers 404 (Django logs it as a warning
# after the view), then a line outside any request.
PROBE = """
import logging
from django.test import Client
Client(HTTP_HOST="localhost").get("/metrics", headers={"X-Request-ID": "req-42"})
logging.getLogger("probe").warning("after the request")
"""


def _run_as_hub(**extra: str) -> list[str]:
    environ = {key: value for key, value in os.environ.items() if key != "LOG_FORMAT"}
    environ.update(
        DJANGO_SETTINGS_MODULE="hubnet.settings.test",
        DATABASE_URL=test_database_url(),
        HUB_SLUG="log-hub",
        **extra,
    )
    done = subprocess.run(
        [sys.executable, "-m", "hubnet", "shell", "-c", PROBE],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if line.strip()]


@pytest.mark.django_db(transaction=True)
def test_json_lines_carry_hub_and_request_id():
    # when
    lines = _run_as_hub(LOG_FORMAT="json")
    # then: every line is a JSON object with the hub, request and task fields
    records = [json.loads(line) for line in lines]
    assert all({"hub", "request_id", "task_id"} <= set(r) for r in records)
    not_found = next(r for r in records if r["message"] == "Not Found: /metrics")
    assert (not_found["hub"], not_found["level"], not_found["logger"]) == (
        "log-hub",
        "WARNING",
        "django.request",
    )
    assert (not_found["request_id"], not_found["task_id"]) == ("req-42", "")
    after = next(r for r in records if r["message"] == "after the request")
    assert after["request_id"] == ""


@pytest.mark.django_db(transaction=True)
def test_plain_lines_by_default():
    # when
    lines = _run_as_hub()
    # then: readable lines tagged with the hub, no JSON
    line = next(line for line in lines if "Not Found: /metrics" in line)
    assert " log-hub WARNING django.request Not Found: /metrics" in line
    assert not line.startswith("{")


def _log_lines(path: Path) -> list[dict]:
    records = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def test_worker_json_lines_carry_the_task_id(hub_worker_processes, settings):
    # given: the hub's workers logging JSON (the hub of the tests: its broker)
    queue = hub_worker_processes(LOG_FORMAT="json")
    from hubs.tasks import heartbeat_record_task

    log = TEST_VAR_DIR / "logs" / f"hub-worker-{queue}.log"
    # when
    task_id = heartbeat_record_task.apply_async().id
    # then: the worker's line about that task names it in task_id
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        mine = [r for r in _log_lines(log) if r.get("task_id") == task_id]
        if any("succeeded" in r["message"] for r in mine):
            break
        time.sleep(0.5)
    assert any("succeeded" in r["message"] for r in mine), log.read_text()[-3000:]
    assert {r["hub"] for r in mine} == {settings.HUB_SLUG}
    ready = [r for r in _log_lines(log) if r["message"].endswith(" ready.")]
    assert ready
    assert ready[0]["task_id"] == ""
