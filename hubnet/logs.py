"""What every log line of a hub says besides its message: the hub, the request
and the Celery task it belongs to.

The request middleware and Celery's task signals set two context variables;
``LogContextFilter`` copies them onto each record, so the JSON formatter
(``LOG_FORMAT=json``) writes them as fields and a log collector can follow one
request or one task across lines.
"""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar, Token

from django.conf import settings

request_id_var: ContextVar[str] = ContextVar("hubnet_request_id", default="")
task_id_var: ContextVar[str] = ContextVar("hubnet_task_id", default="")

_task_tokens: dict[str, Token[str]] = {}


class LogContextFilter(logging.Filter):
    """Adds ``hub``, ``request_id`` and ``task_id`` to every record (empty
    strings outside a request or a task); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.hub = getattr(settings, "HUB_SLUG", "")
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return True


def request_context_clear(**kwargs: object) -> None:
    """``request_finished``: lines after the request carry no request id."""
    request_id_var.set("")


def task_context_enter(*, task_id: str | None) -> None:
    """Celery ``task_prerun``: the lines a task logs carry its id."""
    if task_id:
        _task_tokens[task_id] = task_id_var.set(task_id)


def task_context_leave(*, task_id: str | None) -> None:
    """Celery ``task_postrun``: lines after the task carry none."""
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        task_id_var.reset(token)
    else:
        task_id_var.set("")


def worker_logging_configure() -> None:
    """Celery ``setup_logging`` under ``LOG_FORMAT=json``: the worker logs
    through the hub's LOGGING (JSON lines) instead of its own format."""
    logging.config.dictConfig(settings.LOGGING)
