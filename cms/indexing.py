"""Wagtail's own indexes (its admin search and its reference index), updated in
batches where many pages are written at once.

Wagtail updates both through django-tasks on every save of an indexed object;
with the immediate backend that is several index writes per published page,
inline. Inside ``indexing_deferred()`` those updates are collected instead (one
per object, however often it was saved) and applied afterwards in one Celery
task, so a harvest of thousands of pages does not pay them page by page. Every
other task, and every update outside the block, runs at once as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

DEFERRABLE = frozenset(
    {
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
    }
)
Update = tuple[str, str, str, str]  # task path, app label, model name, pk
_state = threading.local()


class DeferringImmediateBackend(ImmediateBackend):
    """Django-tasks' immediate backend, except that Wagtail's index updates made
    inside ``indexing_deferred()`` are collected for a later batch."""

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        pending: set[Update] | None = getattr(_state, "pending", None)
        if pending is None or task.module_path not in DEFERRABLE or kwargs:
            return super().enqueue(task, args, kwargs)
        app_label, model_name, pk = args
        pending.add((task.module_path, str(app_label), str(model_name), str(pk)))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs={},
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


@contextmanager
def indexing_deferred() -> Iterator[set[Update]]:
    """Collect Wagtail's index updates made inside the block; when the
    transaction around it commits, one Celery task applies them."""
    if getattr(_state, "pending", None) is not None:
        yield _state.pending  # nested: the outer block applies them
        return
    pending: set[Update] = set()
    _state.pending = pending
    try:
        yield pending
    finally:
        del _state.pending
    if pending:
        from cms.tasks import index_updates_apply_task

        updates = [list(update) for update in sorted(pending)]
        transaction.on_commit(partial(index_updates_apply_task.delay, updates=updates))


def index_updates_apply(*, updates: Iterable[Iterable[str]]) -> int:
    """Apply collected index updates (search entry and references of each
    object, as they are now); an object deleted since is skipped. Running it
    twice writes the same entries. The number applied."""
    applied = 0
    for task_path, app_label, model_name, pk in updates:
        if task_path not in DEFERRABLE:
            continue
        task: Task = import_string(task_path)
        try:
            task.call(app_label, model_name, pk)
        except ObjectDoesNotExist:
            continue
        applied += 1
    return applied


def index_updates_defer(*, app_label: str, model_name: str, pks: Iterable[int]) -> None:
    """Wagtail's index updates for objects written without their save signals
    (bulk writes): collected inside ``indexing_deferred()``, else applied now."""
    updates = {
        (path, app_label, model_name, str(pk)) for pk in pks for path in DEFERRABLE
    }
    pending: set[Update] | None = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(updates)
    else:
        index_updates_apply(updates=sorted(updates))
