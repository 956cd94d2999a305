"""Every worker task is named after its app and retries only what passes by itself."""

import pytest
from celery import Task, current_app
from django.apps import apps
from django.db import OperationalError

from program.core.tasks import TRANSIENT_ERRORS
from transfers import tasks as transfer_tasks


def _project_tasks() -> list[Task]:
    current_app.loader.import_default_modules()
    return [
        task for name, task in sorted(current_app.tasks.items()) if not name.startswith("celery.")
    ]


def test_each_task_is_registered_under_its_own_apps_name() -> None:
    tasks = _project_tasks()
    assert len(tasks) >= 12
    wrong = [
        (task.name, task.__module__)
        for task in tasks
        if task.name.split(".")[0]
        != getattr(apps.get_containing_app_config(task.__module__), "label", None)
    ]
    assert wrong == []


def test_a_task_that_declares_retries_retries_something() -> None:
    # max_retries alone does nothing: Celery retries only a task that names the exceptions to
    # retry on (or calls self.retry(), which no task here does).
    never = [
        task.name
        for task in _project_tasks()
        if type(task).__dict__.get("max_retries") is not None
        and not getattr(task, "autoretry_for", ())
    ]
    assert never == []
    retrying = [task for task in _project_tasks() if getattr(task, "autoretry_for", ())]
    assert all(task.autoretry_for == TRANSIENT_ERRORS for task in retrying)
    assert {"transfers.eligibility_sweep", "notifications.notification_send"} <= {
        task.name for task in retrying
    }


def test_the_sweep_is_retried_after_the_database_went_away_and_not_after_a_bug(monkeypatch) -> None:
    calls: list[str] = []

    def flaky() -> int:
        calls.append("run")
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return 7

    monkeypatch.setattr(transfer_tasks.services, "sweep_run", flaky)
    assert transfer_tasks.eligibility_sweep.apply().get() == 7
    assert calls == ["run", "run"]

    def broken() -> int:
        calls.append("bug")
        raise ValueError("a bug")

    monkeypatch.setattr(transfer_tasks.services, "sweep_run", broken)
    with pytest.raises(ValueError, match="a bug"):
        transfer_tasks.eligibility_sweep.apply().get()
    assert calls.count("bug") == 1
