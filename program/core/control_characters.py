"""Refuses any input that holds a NUL or a bidirectional control, naming the field.

NUL (U+0000): PostgreSQL cannot store it in text, nor even compare with it, so a NUL that reaches
a query as a lookup value (a country code, an id looked up in a table) fails in the database and
would become a 500. Django's and DRF's text fields refuse it, their lookup fields do not.

Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): they make
text display in another order than it is stored ("Trojan Source", CVE-2021-42574), so a name or a
reason could read differently on screen, in the audit log and in an export. Right-to-left
scripts do not need them; the letters carry their own direction.

Such a character anywhere is a 400. Where each part of a request is checked, so that no check
costs more work than the request is allowed to cause:
- the query string: first, for every request (RequestLimitsMiddleware); it is short;
- a page's form fields and uploaded file names: after the route policy, only for a request the
  policy lets in (FormControlCharactersMiddleware below);
- an API body (JSON, form or multipart): in the API's parsers (program.core.api.parsers), which
  run only when a view reads the body, after authentication and the permission check.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from program.core.policy import is_api
from program.core.refusals import FORM_TYPES, parse_form, refusal
from program.core.view_middleware import ViewMiddleware

REFUSED = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def json_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every key and string in parsed JSON; the caller bounds its depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path or str(key), str(key)
            yield from json_strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for inner in value:
            yield from json_strings(inner, path)
    elif isinstance(value, str):
        yield path, value


def form_strings(
    data: QueryDict, files: MultiValueDict[str, Any] | None = None
) -> Iterator[tuple[str, str]]:
    """(field, text) for every name and value of a query string or form, and every file name."""
    for name, values in data.lists():
        yield name, name
        for value in values:
            yield name, value
    for name, uploads in (files or MultiValueDict()).lists():
        for upload in uploads:
            yield name, getattr(upload, "name", "") or ""


def first_refused(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (field, character) that is refused, or None."""
    for field, value in pairs:
        found = REFUSED.search(value)
        if found:
            return field, found.group()
    return None


def refused_message(field: str, found: str) -> str:
    what = _("a NUL character (\\0)") if found == "\x00" else _("a text-direction control")
    return _("%(field)s holds %(what)s; remove it and send again.") % {
        "field": field or _("The request"),
        "what": what,
    }


def refuse_control_character(request: HttpRequest, field: str, found: str) -> HttpResponse:
    message = refused_message(field, found)
    return refusal(request, 400, "invalid", message, {field: [message]})


class FormControlCharactersMiddleware(ViewMiddleware):
    """A page's form fields and file names, checked once the route policy has let the request in.

    API routes are left to the API's parsers. The form is parsed here, with Django's limits
    (size, number of fields and files) answered as 400 or 413 rather than as an error.
    """

    def check(self, request: HttpRequest, view_name: str) -> HttpResponse | None:
        # Django parses a form body for POST only; for any other method nothing reads it.
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return None
        if is_api(view_name):
            if not hasattr(request, "_post"):
                return None  # the API's parsers read it, after authentication
            # Read already (for CSRF's check): DRF then takes Django's parse, not its parsers'.
        else:
            problem = parse_form(request)
            if problem is not None:
                return problem
        found = first_refused(form_strings(request.POST, request.FILES))
        if found:
            return refuse_control_character(request, *found)
        return None
