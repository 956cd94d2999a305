"""Query-string serializers for the API views that are not lists of rows (occupancy, the roll,
the cost report): as strict as the lists' filters (program/core/api/filters.py)."""

from typing import Any

from rest_framework import serializers


class QuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Refuses a parameter it does not declare and an empty value for anything but text.

    DRF reads a query string like an HTML form: a field it does not know is dropped, and an
    empty non-text field counts as absent, so `?to=` or a misspelt `?frm=2026-01-01` would
    quietly give the default period. Each is a 400 naming the parameter instead.
    """

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        accepted = sorted(self.fields)
        for name in sorted(set(data) - set(self.fields)):
            errors[name] = [
                "Not a parameter of this address. It accepts: " + ", ".join(accepted) + "."
            ]
        for name, field in self.fields.items():
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            if "" in values and not isinstance(field, serializers.CharField):
                errors[name] = ["Give a value, or leave the parameter out."]
        if errors:
            raise serializers.ValidationError(errors)
        checked: dict[str, Any] = super().to_internal_value(data)
        return checked


def refuse_unknown_parameters(request: Any, accepted: tuple[str, ...] = ()) -> None:
    """For the lists without filters or pages (a case's events, documents, decisions, opinions
    and letters; the eligibility rules): a query parameter is a 400 naming it, like on the
    paginated lists (program/core/api/filters.py), never silently ignored."""
    unknown = sorted(set(request.query_params) - set(accepted))
    if unknown:
        allowed = ", ".join(accepted) if accepted else "none: it has no filters or pages"
        raise serializers.ValidationError(
            {name: [f"Not a parameter of this list. It accepts {allowed}."] for name in unknown}
        )
