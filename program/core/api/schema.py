"""Keeps the OpenAPI schema to what the API does (drf-spectacular's schema class and hooks).

- Only the operations the route policy has: a view may answer a method that the policy does not
  list for its route (a read-only route on a viewset that could write), and such a method is a
  405, so it is not in the schema either (program.core.api.permissions).
- The error answers every operation can give. The route policy, the authentication classes,
  pagination, filters, the parsers and the web server answer before a view runs, so no view's
  own `extend_schema` lists them. A client (and Schemathesis) reads the schema to know what may
  come back: the hook adds those answers, in the one error shape of program.core.api.errors,
  wherever they can happen, and gives that shape to the errors a view describes without one.
"""

import re
from typing import Any

from django.urls import Resolver404, resolve
from drf_spectacular import openapi

from program.core.api.filters import is_list
from program.core.policy import access_for

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
    "required": ["error"],
}
ERROR_BODY_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "details": {"type": "object", "additionalProperties": {}},
    },
    "required": ["code", "details", "message"],
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = {"get", "head", "options", *WRITE_METHODS}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with the list filters where the filter backend applies them: on the
    list only (program.core.api.filters), not on an action that happens to answer an array."""

    def get_filter_backends(self) -> list[Any]:
        if not is_list(self.view):
            return []
        return super().get_filter_backends()


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _header_names(operation: dict[str, Any]) -> set[str]:
    return {
        parameter.get("name", "").lower()
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "header"
    }


# What no single operation can say: OpenAPI lists answers per operation, and these come from
# an address as a whole.
GENERAL_ANSWERS = (
    'Every error comes as `{"error": {"code", "message", "details"}}`. A method '
    "an address does not have is answered 405 with an `Allow` header naming those it has. "
    "Lists refuse a query parameter they do not list (400, naming those they accept)."
)
# Answered by the web server (gunicorn, or the development server) before the application sees
# the request, so not in the application's error shape.
URI_TOO_LONG = {
    "description": "The address with its query string is too long for the web server (gunicorn "
    "reads at most 4094 bytes of request line). Answered before the application, without the "
    "error shape."
}
_PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


def _view_name(path: str) -> str:
    try:
        return resolve(_PATH_PARAMETER.sub("1", path)).view_name
    except Resolver404:
        return ""


def only_routes_the_policy_has(endpoints: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """drf-spectacular pre-processing hook (SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"])."""
    kept = []
    for endpoint in endpoints:
        path, _regex, method, _callback = endpoint
        access = access_for(_view_name(path))
        if access is not None and access.allows_method(method):
            kept.append(endpoint)
    return kept


def _answers(path: str, method: str, operation: dict[str, Any]) -> dict[str, str]:
    """The error answers an operation can give before (or besides) its view's own."""
    answers = {
        "401": "Not signed in, or the token is not valid.",
        "403": "The signed-in user's role may not do this (see the route policy).",
    }
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    is_list = any(p.get("name") == "page" for p in query)
    if query or "requestBody" in operation:
        answers["400"] = (
            "Invalid input: a value that cannot be read, an empty value for a parameter that "
            "is not text, or a parameter this address does not have. The message names the "
            "parameter or field and what it accepts."
        )
    if "{" in path or is_list:
        answers["404"] = "No such object, or no such page of the list."
    if "requestBody" in operation:
        answers["413"] = "The request body is larger than the server accepts."
        answers["415"] = "The request body is not JSON, a form or multipart."
    if method in WRITE_METHODS:
        answers["409"] = (
            "The object is not in a state this action starts from, a rule on other rows "
            "blocks it, or someone else's write came first. Nothing was written."
        )
    if method in WRITE_METHODS and "if-match" in _header_names(operation):
        answers["412"] = "The object changed since the version given in If-Match."
        answers["428"] = "Send the object's ETag in If-Match to change it."
    return answers


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    info = result.setdefault("info", {})
    info["description"] = (info.get("description", "") + "\n\n" + GENERAL_ANSWERS).strip()
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ErrorBody", ERROR_BODY_SCHEMA)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _answers(path, method, operation).items():
                responses.setdefault(status, _error(description))
            for status, response in responses.items():
                # A view's own refusals (extend_schema with a description only) come in the
                # same shape as every other error.
                if status.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
            responses.setdefault("414", URI_TOO_LONG)
    return result
