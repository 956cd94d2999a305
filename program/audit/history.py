"""Write history: a database trigger snapshots every insert, update and delete of every domain row.

Triggers (django-pghistory) see every write, whatever its route: services, the admin, forms,
`queryset.update()`, bulk writes and raw SQL. Each snapshot carries the request's context (user
id and name, request id, route; or the Celery task), copied into the row itself (a JSON column),
so no shared, updatable context table can rewrite who did it. Every event table is append-only
(AppendOnly, triggers.py).

The event models are generated here, in the audit app, so no domain app imports audit and their
migrations live in program/audit/migrations; which apps are tracked is configuration. New models
in the tracked apps are picked up automatically; run `manage.py makemigrations audit` after
adding one.
"""

import importlib
import sys
from types import ModuleType
from typing import Any

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from pgtrigger import compiler, registry

from program.audit.triggers import AppendOnly, StrictUpsertTriggerSql


def _tracked_modules() -> tuple[ModuleType, ...]:
    # Named in settings (AUDIT_TRACKED_MODULES), so program.* imports no app above it
    # (docs/architecture.md); program.audit comes last in INSTALLED_APPS, so these are loaded
    # already.
    return tuple(importlib.import_module(name) for name in settings.AUDIT_TRACKED_MODULES)


# Timelines that are append-only by convention already: their own rows say who did what, so an
# insert snapshot would only duplicate them. Updates and deletes are still captured, because
# those would be tampering with the timeline.
TIMELINES: frozenset[str] = frozenset({"transfers.CaseEvent", "finance.TrancheEvent"})


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def tracked_models() -> list[type[models.Model]]:
    """Every concrete model defined in the tracked apps, and the through tables of their
    many-to-many fields (a nationality added to an inmate is a change too), sorted by label."""
    found: dict[str, type[models.Model]] = {}
    for module in _tracked_modules():
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, models.Model)):
                continue
            if value.__module__ != module.__name__:
                continue
            if value._meta.abstract or value._meta.proxy:
                continue
            found[_label(value)] = value
            for field in value._meta.local_many_to_many:
                through = field.remote_field.through
                if isinstance(through, type) and through._meta.auto_created:
                    found[_label(through)] = through
    return [found[label] for label in sorted(found)]


def event_model_name(model: type[models.Model]) -> str:
    """Inmate → InmateChange; Inmate_nationalities → InmateNationalitiesChange."""
    return "".join(part[:1].upper() + part[1:] for part in model.__name__.split("_")) + "Change"


class OnTrackedTable(pgtrigger.Trigger):
    """A tracked table's history trigger, declared on its event model.

    pghistory declares its triggers on the tracked model, so makemigrations would write them
    into finance/, transfers/, cells/ and inmates/ migrations. Moved here, they are migrated
    with the event model in program/audit/migrations, yet compile (same SQL, same Postgres name)
    against the tracked table. pgtrigger's runtime registry keeps pghistory's own entry.
    """

    # pgtrigger annotates its model arguments as Model instances; they are classes: Any here.
    def __init__(self, inner: pgtrigger.Trigger, tracked: Any) -> None:
        self.inner = inner
        self.tracked = tracked
        self.name = inner.name

    def compile(self, model: Any) -> compiler.Trigger:
        # Installed without pgtrigger's ignore check, like AppendOnly: a session that sets
        # pgtrigger.ignore must not be able to write without leaving history.
        compiled = self.inner.compile(self.tracked)
        kwargs = {k: v for k, v in compiled.sql.kwargs.items() if k != "ignore_func_name"}
        return compiler.Trigger(name=compiled.name, sql=StrictUpsertTriggerSql(**kwargs))

    def get_pgid(self, model: Any) -> str:
        return self.inner.get_pgid(self.tracked)

    def register(self, *models: Any) -> Any:
        return None  # pghistory registered the inner trigger on the tracked model already

    def unregister(self, *models: Any) -> Any:
        return None


def _move_triggers(tracked: Any, event_model: Any) -> None:
    ours = [
        trigger
        for trigger in getattr(tracked._meta, "triggers", [])
        if getattr(trigger, "event_model", None) is event_model
    ]
    for attrs in (tracked._meta.__dict__, tracked._meta.original_attrs):
        remaining = [t for t in attrs.get("triggers", []) if t not in ours]
        if remaining:
            attrs["triggers"] = remaining
        else:
            attrs.pop("triggers", None)
    wrapped = [OnTrackedTable(trigger, tracked) for trigger in ours]
    for trigger in wrapped:
        # pgtrigger's install/ls commands then compile the strict version too.
        registry._registry.data[trigger.inner.get_uri(tracked)] = (tracked, trigger)
    event_model._meta.triggers = [*event_model._meta.triggers, *wrapped]
    event_model._meta.original_attrs["triggers"] = [
        *event_model._meta.original_attrs.get("triggers", []),
        *wrapped,
    ]


# model label → its event model, for the history pages.
EVENT_MODELS: dict[str, type[models.Model]] = {}


def _track(model: type[models.Model]) -> None:
    name = event_model_name(model)
    trackers: list[pghistory.RowEvent] = [pghistory.UpdateEvent(), pghistory.DeleteEvent()]
    if _label(model) not in TIMELINES:
        trackers.insert(0, pghistory.InsertEvent())
    pghistory.track(
        *trackers,
        app_label="audit",
        model_name=name,
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
        context_field=pghistory.ContextJSONField(),
        append_only=False,  # pgtrigger's Protect can be switched off; ours cannot (triggers.py)
        meta={"triggers": [AppendOnly()]},
    )(model)
    event_model = getattr(sys.modules["program.audit.models"], name)
    _move_triggers(model, event_model)
    EVENT_MODELS[_label(model)] = event_model


def register() -> None:
    for model in tracked_models():
        if _label(model) not in EVENT_MODELS:
            _track(model)
