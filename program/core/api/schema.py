"""Declares in the OpenAPI schema the error answers every operation can give.

The route policy, the authentication classes, pagination, filters and the parsers answer before a
view runs, so no view's own `extend_schema` lists them. A client (and Schemathesis) reads the
schema to know what may come back: this hook adds those answers, in the one error shape of
program.core.api.errors, wherever they can happen and the view has not described them itself.
"""

from typing import Any

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


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _header_names(operation: dict[str, Any]) -> set[str]:
    return {
        parameter.get("name", "").lower()
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "header"
    }


def _answers(path: str, method: str, operation: dict[str, Any]) -> dict[str, str]:
    """The error answers an operation can give before (or besides) its view's own."""
    answers = {
        "401": "Not signed in, or the token is not valid.",
        "403": "The signed-in user's role may not do this (see the route policy).",
    }
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    if query or "requestBody" in operation:
        answers["400"] = "Invalid input; the message names the field and how to fix it."
    if "{" in path or any(p.get("name") == "page" for p in query):
        answers["404"] = "No such object, or no such page of the list."
    if "requestBody" in operation:
        answers["415"] = "The request body is not JSON, a form or multipart."
    if method in WRITE_METHODS and "if-match" in _header_names(operation):
        answers["412"] = "The object changed since the version given in If-Match."
        answers["428"] = "Send the object's ETag in If-Match to change it."
    return answers


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
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
    return result
