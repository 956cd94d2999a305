"""One error shape for every API error: {"error": {"code", "message", "details"}}."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from program.core.errors import ApplicationError
from program.core.security_log import security_event


def _error(code: str, message: str, details: Any, http_status: int) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status=http_status,
    )


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        field, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if field == "non_field_errors" else f"{field}: {inner}"
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return _error(exc.code, exc.message, exc.details, exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.PermissionDenied):
        request = context.get("request")
        security_event(
            "access_refused",
            request=getattr(request, "_request", None),
            level=logging.WARNING,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return (
            None  # an unexpected error: Django's 500 handling logs it and answers without details
        )
    if isinstance(exc, exceptions.ValidationError):
        return _error(
            "invalid",
            _("The request has invalid fields: %(first)s") % {"first": _first_message(exc.detail)},
            exc.detail,
            status.HTTP_400_BAD_REQUEST,
        )
    if not isinstance(exc, exceptions.APIException):
        return response
    code = exc.get_codes()
    code_str = code if isinstance(code, str) else exc.default_code
    response.data = {"error": {"code": code_str, "message": str(exc.detail), "details": {}}}
    return response
