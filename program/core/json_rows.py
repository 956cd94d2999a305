"""Related rows read inside their parent's row, as JSON, and turned back into model instances.

A record page shows one row and a few short lists beside it (a case's opinions and decisions, an
inmate's nationalities and expulsion orders). Read with prefetch_related, each list is a query
of its own, so the page's query count grows with the number of lists; read here, each list is a
column of the parent's own SELECT (a correlated subquery on the list's foreign-key index), and
the page costs the same whatever it shows. The instances come back as Model.from_db makes them,
so templates read them as before (get_FOO_display, dates, the related user's name).

Only the columns named come back: a related object is built with the fields asked for, the rest
deferred (read on access, as with .only()), so ask for every field the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, GeneratedField, Model, QuerySet, Subquery
from django.db.models.functions import JSONObject

M = TypeVar("M", bound=Model)

# relation name on the listed model -> the related model's field names to read with it
Related = Mapping[str, Sequence[str]]

_SEPARATOR = "__"


def _object(model: type[Model], related: Related, extra: Mapping[str, Any]) -> JSONObject:
    columns: dict[str, Any] = {
        field.attname: F(field.attname) for field in model._meta.concrete_fields
    }
    for relation, names in related.items():
        for name in names:
            columns[f"{relation}{_SEPARATOR}{name}"] = F(f"{relation}{_SEPARATOR}{name}")
    return JSONObject(**columns, **extra)


def json_array(
    queryset: QuerySet[Any],
    *,
    related: Related | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ArraySubquery:
    """The rows of `queryset` (filtered on an OuterRef, in its order) as an array of JSON
    objects: one column of the outer query. `extra`: more values per row (expressions), set as
    attributes of the instances."""
    return ArraySubquery(queryset.values(row=_object(queryset.model, related or {}, extra or {})))


def json_first(queryset: QuerySet[Any], *, related: Related | None = None) -> Subquery:
    """The first row of `queryset` as a JSON object (None when there is none)."""
    return Subquery(queryset.values(row=_object(queryset.model, related or {}, {}))[:1])


def _python(field: Any, value: Any) -> Any:
    """A JSON value as the field holds it (a generated column as its output field)."""
    if value is None:
        return None
    if isinstance(field, GeneratedField):
        output: Any = field.output_field
        return output.to_python(value)
    return field.to_python(value)


def instance(
    model: type[M], row: Mapping[str, Any] | None, *, related: Related | None = None
) -> M | None:
    """The model instance a JSON object of json_array/json_first stands for, its related
    objects attached (built from the fields read, the others deferred) and any extra value
    set as an attribute."""
    if row is None:
        return None
    fields = model._meta.concrete_fields
    made = model.from_db(
        DEFAULT_DB_ALIAS,
        [field.attname for field in fields],
        [_python(field, row.get(field.attname)) for field in fields],
    )
    known = {field.attname for field in fields} | {
        f"{relation}{_SEPARATOR}{name}"
        for relation, names in (related or {}).items()
        for name in names
    }
    for name, value in row.items():
        if name not in known:
            setattr(made, name, value)
    for relation, names in (related or {}).items():
        target: Any = model._meta.get_field(relation).related_model
        key = target._meta.pk.attname if target._meta.pk else "id"
        values = {name: row.get(f"{relation}{_SEPARATOR}{name}") for name in names}
        if values.get(key) is None:
            continue  # a null foreign key: nothing to attach
        target_fields = [target._meta.get_field(name) for name in names]
        setattr(
            made,
            relation,
            target.from_db(
                DEFAULT_DB_ALIAS,
                [field.attname for field in target_fields],
                [_python(field, values[field.name]) for field in target_fields],
            ),
        )
    return made


def instances(
    model: type[M], rows: Iterable[Mapping[str, Any]] | None, *, related: Related | None = None
) -> list[M]:
    made = (instance(model, row, related=related) for row in rows or ())
    return [row for row in made if row is not None]
