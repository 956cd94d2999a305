"""The OpenAPI schema says what the API does: nullable fields, statuses, methods, parameters."""

import importlib
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.db.models.fields.related import ForeignObjectRel
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

# A generated column's value is its expression's: PostgreSQL stores every generated column as
# nullable, so whether it can be null is read from the expression and written down here. A new
# generated field fails test_every_generated_field_is_decided until it is added.
GENERATED_MAY_BE_NULL = {
    # sentence_start + length_days - remand_days: length_days is null for an indefinite sentence
    ("inmates", "judgment", "full_term_date"): True,
    ("inmates", "judgment", "two_thirds_date"): True,
    # a CASE whose every branch and default is a number
    ("cells", "cell", "cpt_capacity"): False,
}


def _api_serializers() -> Iterator[type[serializers.ModelSerializer[Any]]]:
    importlib.import_module("program.api_urls")  # imports every app's API modules
    seen: set[type[Any]] = set()
    stack: list[type[Any]] = [serializers.ModelSerializer]
    while stack:
        sub: type[Any]
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    for cls in sorted(seen, key=lambda c: f"{c.__module__}.{c.__qualname__}"):
        if cls.__module__.split(".")[0] in {"program", "finance", "transfers"} and getattr(
            getattr(cls, "Meta", None), "model", None
        ):
            yield cls


def _may_be_null(model: type[models.Model], source: str) -> bool | None:
    """Whether the value at this dotted source can be null; None when no model field backs it."""
    nullable = False
    parts = source.split(".")
    for position, name in enumerate(parts):
        try:
            field = model._meta.get_field(name)
        except Exception:
            return None  # a property, an annotation, a method: the serializer declares it
        last = position == len(parts) - 1
        if isinstance(field, ForeignObjectRel):
            if field.multiple:
                return None
            nullable = True  # a reverse one-to-one: the other row may not exist
        elif isinstance(field, models.GeneratedField):
            key = (field.model._meta.app_label, str(field.model._meta.model_name), field.name)
            nullable = nullable or GENERATED_MAY_BE_NULL[key]
        else:
            nullable = nullable or field.null
        if last:
            return nullable
        if field.related_model is None:
            return None  # a range's bound, a JSON key: declared by hand
        model = field.related_model
    return nullable


def _output_fields() -> Iterator[tuple[str, serializers.Field[Any, Any, Any, Any], bool]]:
    for cls in _api_serializers():
        for name, field in cls().fields.items():
            if field.write_only or field.source == "*":
                continue
            if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
                continue
            nullable = _may_be_null(cls.Meta.model, field.source)
            if nullable is not None:
                yield f"{cls.__module__}.{cls.__qualname__}.{name}", field, nullable


def test_a_field_that_can_be_null_is_declared_nullable() -> None:
    undeclared = [
        label for label, field, nullable in _output_fields() if nullable and not field.allow_null
    ]
    assert not undeclared, "These can be null but the schema says they cannot: " + ", ".join(
        undeclared
    )


def test_every_generated_field_is_decided() -> None:
    from django.apps import apps

    generated = {
        (model._meta.app_label, model._meta.model_name, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.GeneratedField)
        and model._meta.app_label in {"inmates", "cells"}
    }
    assert generated == set(GENERATED_MAY_BE_NULL)


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_judgment_dates_are_nullable_in_the_schema() -> None:
    judgment = _schema()["components"]["schemas"]["Judgment"]["properties"]
    assert judgment["two_thirds_date"].get("nullable") is True
    assert judgment["full_term_date"].get("nullable") is True


WRITES = {"post", "put", "patch", "delete"}


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_the_answers_it_can_give() -> None:
    missing = []
    for path, method, operation in _operations():
        expected = {"401", "403", "414"}
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        if query or "requestBody" in operation:
            expected.add("400")
        if "{" in path or any(p["name"] == "page" for p in query):
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"413", "415"}
        if method in WRITES:
            expected.add("409")
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if "If-Match" in headers:
            expected |= {"412", "428"}
        absent = expected - set(operation["responses"])
        if absent:
            missing.append(f"{method.upper()} {path}: {sorted(absent)}")
    assert not missing, "\n".join(missing)


def test_every_error_the_application_gives_has_the_error_shape() -> None:
    shapeless = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in _operations()
        for status, response in operation["responses"].items()
        if status.startswith("4")
        and status != "414"  # the web server's, before the application
        and "application/json" not in response.get("content", {})
    ]
    assert not shapeless, shapeless


def test_lists_document_their_filters_and_only_on_the_list() -> None:
    paths = _schema()["paths"]

    def names(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"].get("parameters", []) if p["in"] == "query"}

    assert {"search", "state", "mine", "nationality"} <= names("/api/v1/transfer-cases/")
    assert {"search", "case_number"} <= names("/api/v1/inmates/")
    assert names("/api/v1/transfer-cases/{id}/events/") == set()
    assert names("/api/v1/transfer-cases/{id}/documents/") == set()
    # Ids are whole numbers; an ordering names its fields.
    parameters = {p["name"]: p["schema"] for p in paths["/api/v1/places/"]["get"]["parameters"]}
    assert parameters["cell"]["type"] == "integer"
    inmates = {p["name"]: p["schema"] for p in paths["/api/v1/inmates/"]["get"]["parameters"]}
    assert inmates["ordering"]["pattern"].startswith("^-?(?:name|case_number|release_date)")


def test_the_schema_has_only_the_methods_the_route_policy_allows() -> None:
    from django.urls import resolve

    from program.core.policy import access_for

    for path, method, _operation in _operations():
        access = access_for(resolve(path.replace("{id}", "1")).view_name)
        assert access is not None, path
        assert access.allows_method(method), f"{method} {path}"


def test_the_policy_hook_drops_an_operation_the_policy_lacks() -> None:
    from program.core.api.schema import only_routes_the_policy_has

    endpoints = [
        ("/api/v1/cells/", "", "GET", None),
        ("/api/v1/cells/", "", "POST", None),
        ("/api/v1/cells/{id}/", "", "DELETE", None),
        ("/api/v1/no-such-address/", "", "GET", None),
    ]
    assert only_routes_the_policy_has(endpoints) == endpoints[:1]


def test_a_report_for_an_agreement_that_does_not_exist_is_a_documented_404() -> None:
    report = _schema()["paths"]["/api/v1/finance-reports/cost-per-place-day/"]["get"]
    assert "404" in report["responses"]
