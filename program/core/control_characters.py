"""Refuses any request whose input holds a NUL or a bidirectional control, naming the field.

NUL (U+0000): PostgreSQL cannot store it in text, nor even compare with it, so a NUL that reaches
a query as a lookup value (a country code, an id looked up in a table) fails in the database and
would become a 500. Django's and DRF's text fields refuse it, their lookup fields do not.

Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): they make
text display in another order than it is stored ("Trojan Source", CVE-2021-42574), so a name or a
reason could read differently on screen, in the audit log and in an export. Right-to-left
scripts do not need them; the letters carry their own direction.

The one safe place is before any view: the query string, form fields, uploaded file names and
JSON bodies are all checked here, and such a character anywhere is a 400.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

REFUSED = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def _json_paths(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _json_paths(inner, f"{path}.{key}" if path else str(key))
            yield path or str(key), str(key)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_paths(inner, path)
    elif isinstance(value, str):
        yield path, value


def _inputs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(field, value) pairs of everything the client sent that a view may read as text."""
    for name, values in request.GET.lists():
        yield name, name
        for value in values:
            yield name, value
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return
    content_type = request.content_type or ""
    if content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        for name, values in request.POST.lists():
            yield name, name
            for value in values:
                yield name, value
        for name, uploads in request.FILES.lists():
            for upload in uploads:
                yield name, upload.name or ""
    elif content_type.endswith("json"):
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            return  # the view's parser answers malformed JSON with its own 400
        yield from _json_paths(data, "")


def _refusal(request: HttpRequest, field: str, found: str) -> HttpResponse:
    what = _("a NUL character (\\0)") if found == "\x00" else _("a text-direction control")
    message = _("%(field)s holds %(what)s; remove it and send again.") % {
        "field": field or _("The request"),
        "what": what,
    }
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "invalid", "message": message, "details": {field: [message]}}},
            status=400,
        )
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RejectControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for field, value in _inputs(request):
            found = REFUSED.search(value)
            if found:
                return _refusal(request, field, found.group())
        return self.get_response(request)
