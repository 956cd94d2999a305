"""Who is acting, carried into the history triggers.

Requests get their context from AuditContextMiddleware. Work outside a request (Celery tasks,
management commands) uses `system_context`, so its changes name the task or command instead of
nobody. Celery tasks get it automatically through the task_prerun/task_postrun signals.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory

from program.core.request_id import current_request_id

SYSTEM_PREFIX = "system:"


@contextmanager
def system_context(name: str) -> Iterator[None]:
    """Attribute every write inside the block to `system:<name>` (a task or command).

    Inside a request (an eager task, a command called from a view) the request's user stays the
    actor and the task's name is added beside it.
    """
    request_id = current_request_id()
    with pghistory.context(
        system=f"{SYSTEM_PREFIX}{name}",
        request_id=request_id if request_id != "-" else uuid.uuid4().hex,
    ):
        yield


_task_contexts: dict[str, Any] = {}


def _task_prerun(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None:
        return
    manager = system_context(getattr(task, "name", "task"))
    manager.__enter__()
    _task_contexts[task_id] = manager


def _task_postrun(task_id: str | None = None, **kwargs: Any) -> None:
    manager = _task_contexts.pop(task_id or "", None)
    if manager is not None:
        manager.__exit__(None, None, None)


def connect_celery_signals() -> None:
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="audit_task_prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="audit_task_postrun")
