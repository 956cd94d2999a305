"""Strict list parameters: what a list accepts is what its schema says, and nothing is ignored.

django-filter and DRF are lenient by design: an unknown parameter, an empty value, `null` for a
boolean, `0.5` for an id or an ordering by a field that does not exist are all dropped quietly,
so the client gets the whole list and believes it was filtered. On data about people that is
the wrong failure. Here each of them is a 400 that names the parameter and what it accepts.

The accepted names come from the same declarations the OpenAPI schema is built from (the
filterset, the ordering fields, the paginator), so the two cannot drift apart.
"""

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

# The spellings of a boolean in a query string: the schema says `boolean`, which a query string
# writes as true or false. django-filter also reads "null", "unknown" or "" as "no filter".
BOOLEAN_SPELLINGS = frozenset({"true", "false"})


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): NumberFilter reads a decimal, so `?inmate=0.5` passed.

    The schema says `integer`, with the bounds given as min_value and max_value.
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema: dict[str, Any] = {"type": "integer"}
        for bound, keyword in (("minimum", "min_value"), ("maximum", "max_value")):
            if keyword in self.extra:
                schema[bound] = self.extra[keyword]
        extend_schema_field(schema)(self)


def is_list(view: Any) -> bool:
    """Whether the request is for the list: filters describe lists, never one object."""
    return getattr(view, "action", "list") == "list"


def _filter_names(name: str, filter_: django_filters.Filter) -> list[str]:
    suffixes = getattr(filter_.field_class.widget, "suffixes", None)  # range filters
    return [f"{name}_{suffix}" if suffix else name for suffix in suffixes] if suffixes else [name]


def accepted_parameters(view: Any, filterset: django_filters.FilterSet | None) -> set[str]:
    """Every query parameter the list's schema documents."""
    names: set[str] = set()
    if filterset is not None:
        for name, filter_ in filterset.filters.items():
            names.update(_filter_names(name, filter_))
    for backend in getattr(view, "filter_backends", ()):
        if not issubclass(backend, DjangoFilterBackend):
            names.update(p["name"] for p in backend().get_schema_operation_parameters(view))
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.update(p["name"] for p in paginator.get_schema_operation_parameters(view))
    return names


def _value_problem(filter_: django_filters.Filter, raw: str) -> str | None:
    if raw == "" and not isinstance(filter_, django_filters.CharFilter):
        return "Give a value, or leave the parameter out."
    if isinstance(filter_, django_filters.BooleanFilter) and raw not in BOOLEAN_SPELLINGS:
        return "Either true or false."
    return None


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing what it would quietly ignore (see the module)."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        if not is_list(view):
            # DRF also filters the queryset an object is looked up in; a list's filters on
            # /things/5/ would make a thing that exists answer 404.
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        params = request.query_params
        accepted = accepted_parameters(view, filterset)
        errors: dict[str, list[str]] = {}
        for name in sorted(set(params) - accepted):
            errors[name] = [
                "Not a parameter of this list. It accepts: "
                + (", ".join(sorted(accepted)) or "none")
                + "."
            ]
        for name, filter_ in (filterset.filters if filterset is not None else {}).items():
            for raw in params.getlist(name):
                problem = _value_problem(filter_, raw)
                if problem:
                    errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


class StrictOrderingFilter(filters.OrderingFilter):
    """Ordering by the view's `ordering_fields` only, each named in the schema; anything else
    is a 400. A view that declares none offers no ordering (the parameter is unknown there)."""

    def _fields(self, view: Any) -> list[str]:
        return [
            item if isinstance(item, str) else item[0]
            for item in getattr(view, "ordering_fields", None) or ()
        ]

    def get_valid_fields(
        self, queryset: QuerySet[Any], view: Any, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        return [(name, name) for name in self._fields(view)]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw is None or not is_list(view):
            return self.get_default_ordering(view)
        terms = [term.strip() for term in raw.split(",")]
        fields = self._fields(view)
        wrong = [term for term in terms if term.removeprefix("-") not in fields]
        if wrong:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(repr(t) for t in wrong)}. Order by "
                        + ", ".join(fields)
                        + ", each optionally preceded by - for descending, separated by commas."
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = self._fields(view)
        if not fields:
            return []
        term = "-?(?:" + "|".join(fields) + ")"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by "
                + ", ".join(fields)
                + "; - before a field for descending; several separated by commas.",
                "schema": {"type": "string", "pattern": f"^{term}(?:,{term})*$"},
            }
        ]
