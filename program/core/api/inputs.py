"""A request body checked by an input serializer, the same way in every view.

An input serializer describes what a write takes; it never saves (the services do). A body that
does not fit is answered 400 with each field's problem (program/core/api/errors.py), before any
service runs.
"""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request


def checked(
    request: Request, given: type[serializers.Serializer[Any]], *, partial: bool = False
) -> dict[str, Any]:
    """The body's values as `given` validated them (for a PATCH, `partial`: only those sent)."""
    data = given(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)
