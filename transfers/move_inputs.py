"""Forms, API serializers and parsing, all derived from a move's typed input (transfers/moves.py).

One declaration per input: its fields' types say which form field, which serializer field and
which parsed value each one becomes, and its metadata gives the label and help text.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from program.core.errors import ApplicationError
from transfers.models import TransportBatch

DATE = forms.DateInput(attrs={"type": "date", "class": "form-input"})
TEXT = forms.TextInput(attrs={"class": "form-input"})
SELECT = forms.Select(attrs={"class": "form-select"})


@dataclasses.dataclass(frozen=True)
class InputField:
    name: str
    kind: type  # date, str, or a model class
    required: bool
    label: str
    help: str


def _unwrap(hint: Any) -> tuple[type, bool]:
    """(the type, whether None is allowed) of a field's annotation."""
    if get_origin(hint) in (Union, types.UnionType):
        args = [arg for arg in get_args(hint) if arg is not type(None)]
        return args[0], True
    return hint, False


@cache
def fields_of(input_type: type) -> tuple[InputField, ...]:
    hints = get_type_hints(input_type)
    result = []
    for spec in dataclasses.fields(input_type):
        kind, optional = _unwrap(hints[spec.name])
        required = not optional and spec.default is dataclasses.MISSING
        result.append(
            InputField(
                name=spec.name,
                kind=kind,
                required=required,
                label=str(spec.metadata.get("label", spec.name)),
                help=str(spec.metadata.get("help", "")),
            )
        )
    return tuple(result)


def _queryset(kind: type) -> Any:
    if kind is TransportBatch:
        # Transports to the host facility, from today on: the ones a case can be booked on.
        return TransportBatch.objects.filter(
            direction=TransportBatch.Direction.TO_HOST, departs_on__gte=timezone.localdate()
        ).order_by("departs_on", "id")
    return kind._default_manager.order_by("pk")  # type: ignore[attr-defined]


def form_field(spec: InputField) -> forms.Field:
    common: dict[str, Any] = {
        "label": spec.label,
        "help_text": spec.help,
        "required": spec.required,
    }
    if spec.kind is date:
        return forms.DateField(widget=DATE, **common)
    if isinstance(spec.kind, type) and issubclass(spec.kind, models.Model):
        return forms.ModelChoiceField(queryset=_queryset(spec.kind), widget=SELECT, **common)
    return forms.CharField(max_length=200, widget=TEXT, **common)


def add_form_fields(form: forms.Form, input_type: type, *, prefix: str = "") -> None:
    for spec in fields_of(input_type):
        form.fields[prefix + spec.name] = form_field(spec)


def serializer_field(spec: InputField) -> serializers.Field[Any, Any, Any, Any]:
    common: dict[str, Any] = {"help_text": spec.help or spec.label, "required": spec.required}
    if not spec.required:
        common["allow_null"] = True
        common["default"] = None
    if spec.kind is date:
        return serializers.DateField(**common)
    if isinstance(spec.kind, type) and issubclass(spec.kind, models.Model):
        return serializers.PrimaryKeyRelatedField(
            queryset=spec.kind._default_manager.all(),
            **common,
        )
    return serializers.CharField(max_length=200, **common)


@cache
def serializer_for(input_type: type, name: str) -> type[serializers.Serializer[Any]]:
    """The API body of a move: its input's fields, plus the common note."""
    attrs: dict[str, Any] = {spec.name: serializer_field(spec) for spec in fields_of(input_type)}
    attrs["text"] = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="A note for the timeline."
    )
    attrs["__doc__"] = input_type.__doc__ or ""
    return type(name, (serializers.Serializer,), attrs)


def parse(input_type: type, data: Any) -> Any:
    """Build the typed input from a dict (a form's or serializer's cleaned data, or a caller's).

    Every missing or unreadable field is named at once. An instance passes through.
    """
    if isinstance(data, input_type):
        return data
    data = data or {}
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for spec in fields_of(input_type):
        raw = data.get(spec.name)
        if raw in (None, ""):
            if spec.required:
                problems[spec.name] = [str(_("required"))]
            continue
        try:
            values[spec.name] = _coerce(spec, raw)
        except (TypeError, ValueError):
            problems[spec.name] = [str(_("not readable"))]
    if problems:
        labels = ", ".join(
            f"{spec.label} ({spec.name})" for spec in fields_of(input_type) if spec.name in problems
        )
        raise ApplicationError(
            _("Give or correct: %(fields)s.") % {"fields": labels}, details=problems
        )
    return input_type(**values)


def _coerce(spec: InputField, raw: Any) -> Any:
    if spec.kind is date:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    if isinstance(spec.kind, type) and issubclass(spec.kind, models.Model):
        if isinstance(raw, spec.kind):
            return raw
        found = spec.kind._default_manager.filter(pk=int(raw)).first()
        if found is None:
            raise ValueError(raw)
        return found
    text = str(raw).strip()
    if spec.required and not text:
        raise ValueError(raw)
    return text
