"""Data classification: every field of every model in the project's own apps carries one tag.

The tags say what a field's value reveals, so minimisation can be checked against them (GDPR
Art. 30's record of processing, and the finance roles' ban on conviction and medical data):

- personal: identifies or describes a person, an inmate or a member of staff (names, dates of
  birth, who recorded what, free text that may name someone);
- criminal: convictions, offences, sentences, expulsion orders and the decisions taken to execute
  a sentence (GDPR Art. 10; the Law Enforcement Directive);
- health: medical facts about a person (GDPR Art. 9). Health is kept apart from the others
  because medical data is minimised like criminal data but is not criminal data, and the
  minimisation test plants it separately;
- financial: money, payment terms and the payment workflow;
- none: nothing about a person and no money (ids, timestamps, reference data, cell sizes).

Each app keeps its table in `<app>/field_tags.py` as `FIELD_TAGS = {"Model.field": TAG}`; the
system check in program/core/checks.py fails on a field without a tag and on a tag that names
no field. Two kinds of model are tagged by rule rather than by table:

- the through table of a many-to-many field: both its foreign keys carry the many-to-many
  field's tag, its id is none;
- a history (pghistory event) model: a field that mirrors the tracked model has the tracked
  field's tag; its own `pgh_*` fields are tagged in its app's `EVENT_FIELD_TAGS`. History rows
  are copies of the rows they record, so they are as sensitive as those rows.

Which apps are the project's is found, not listed: every installed app whose code lives in this
repository (not in site-packages). This module imports no app above program.core; it loads the
tag tables through the app registry.
"""

import importlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import models


class Tag(StrEnum):
    PERSONAL = "personal"
    CRIMINAL = "criminal"
    HEALTH = "health"
    FINANCIAL = "financial"
    NONE = "none"


PERSONAL = Tag.PERSONAL
CRIMINAL = Tag.CRIMINAL
HEALTH = Tag.HEALTH
FINANCIAL = Tag.FINANCIAL
NONE = Tag.NONE

TAG_MODULE = "field_tags"

# The bookkeeping fields of every TimeStampedModel.
TIMESTAMPED: tuple[str, ...] = ("id", "created_at", "updated_at")


def tagged(model: str, tag: Tag, *fields: str) -> dict[str, Tag]:
    """`{"Model.f1": tag, "Model.f2": tag, …}`: one model's fields that share a tag."""
    return {f"{model}.{field}": tag for field in fields}


def project_apps() -> list[AppConfig]:
    """The installed apps whose code lives in this repository."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if "site-packages" in path.parts or not path.is_relative_to(base):
            continue
        found.append(config)
    return found


def tag_module_file(config: AppConfig) -> str:
    """Where an app's tag table lives, relative to the repository (for messages)."""
    path = Path(config.path) / f"{TAG_MODULE}.py"
    return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))


def _tag_module(config: AppConfig) -> ModuleType | None:
    try:
        return importlib.import_module(f"{config.name}.{TAG_MODULE}")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.{TAG_MODULE}":
            raise  # the table itself imports something missing: say so, do not hide it
        return None


def declared_tags(config: AppConfig) -> Mapping[str, Tag]:
    module = _tag_module(config)
    return getattr(module, "FIELD_TAGS", {}) if module else {}


def declared_event_tags(config: AppConfig) -> Mapping[str, Tag]:
    module = _tag_module(config)
    return getattr(module, "EVENT_FIELD_TAGS", {}) if module else {}


def model_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields a model stores: columns (foreign keys, generated columns included) and its own
    many-to-many fields; reverse relations belong to the other model."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.Field)
        and (field.concrete or (field.many_to_many and not field.auto_created))
    ]


def _owning_many_to_many(through: type[models.Model]) -> models.Field[Any, Any] | None:
    owner = through._meta.auto_created
    if not isinstance(owner, type):
        return None
    for field in owner._meta.local_many_to_many:
        if field.remote_field.through is through:
            return field
    return None


def tracked_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model a pghistory event model records, or None for any other model."""
    tracked = getattr(model, "pgh_tracked_model", None)
    return tracked if isinstance(tracked, type) else None


def tag_for(model: type[models.Model], field_name: str) -> Tag | None:
    """A field's tag, or None when nothing classifies it."""
    config = apps.get_app_config(model._meta.app_label)
    declared = declared_tags(config).get(f"{model.__name__}.{field_name}")
    if declared is not None:
        return Tag(declared)
    m2m = _owning_many_to_many(model) if model._meta.auto_created else None
    if m2m is not None:
        if field_name == model._meta.pk.name:
            return NONE
        return tag_for(m2m.model, m2m.name)
    tracked = tracked_model(model)
    if tracked is not None:
        if field_name.startswith("pgh_"):
            event_tag = declared_event_tags(config).get(field_name)
            return Tag(event_tag) if event_tag is not None else None
        return tag_for(tracked, field_name)
    return None


def tag_source(model: type[models.Model], field_name: str) -> tuple[type[models.Model], str]:
    """The model and field whose table entry decides this field's tag: itself, or for a copy
    in a history model or a many-to-many through table, the field it copies."""
    m2m = _owning_many_to_many(model) if model._meta.auto_created else None
    if m2m is not None and field_name != model._meta.pk.name:
        return tag_source(m2m.model, m2m.name)
    tracked = tracked_model(model)
    if tracked is not None and not field_name.startswith("pgh_"):
        return tag_source(tracked, field_name)
    return model, field_name


@dataclass(frozen=True)
class TaggedField:
    model: type[models.Model]
    field: models.Field[Any, Any]
    tag: Tag | None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def key(self) -> str:
        return f"{self.model.__name__}.{self.field.name}"


def project_models() -> Iterator[type[models.Model]]:
    for config in project_apps():
        yield from config.get_models(include_auto_created=True)


def all_fields() -> list[TaggedField]:
    """Every stored field of every project model, with its tag (None when untagged)."""
    return [
        TaggedField(model, field, tag_for(model, field.name))
        for model in project_models()
        for field in model_fields(model)
    ]


def fields_tagged(*tags: Tag) -> list[TaggedField]:
    wanted = set(tags)
    return [item for item in all_fields() if item.tag in wanted]


def stale_tags() -> list[tuple[AppConfig, str]]:
    """Table entries that name no field: a renamed or removed field left its tag behind."""
    stale = []
    for config in project_apps():
        existing = {
            f"{model.__name__}.{field.name}"
            for model in config.get_models(include_auto_created=True)
            for field in model_fields(model)
        }
        stale += [(config, key) for key in declared_tags(config) if key not in existing]
    return stale


def tag_counts() -> Counter[str]:
    """How many fields carry each tag (the figure the checks report)."""
    return Counter(str(item.tag) for item in all_fields())


# program.core's own models (this app's table; the registry above reads it like any other).
FIELD_TAGS: dict[str, Tag] = {
    # A periodic job's last run; `worker` is a host name, not a person.
    **tagged("Heartbeat", NONE, "id", "name", "last_run_at", "runs", "worker"),
    # A member of staff's own settings: whose they are, and the language they read.
    **tagged("UserPreferences", NONE, *TIMESTAMPED, "programme"),
    **tagged("UserPreferences", PERSONAL, "user", "language"),
}
