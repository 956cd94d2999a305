"""The API's body parsers: DRF's, with limits, and refusing control characters.

DRF runs a parser only when a view reads request.data, after authentication and the permission
check, so nothing here runs for an anonymous or refused client. Each parser:
- reads at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (RequestLimitsMiddleware has already refused a
  larger declared length; this also covers a body that says nothing of its length): 413;
- JSON only: refuses nesting deeper than REQUEST_JSON_MAX_DEPTH before parsing (Python's parser
  recurses once per level, so a deep enough body would exhaust the stack): 400; and a body whose
  top level is not an object, which no endpoint takes: 400;
- turns Django's own form limits (too many fields or files, a broken multipart body) into 400;
- refuses a NUL or a text-direction control in any key, value or file name, naming the field.
"""

import codecs
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.utils import json

from program.core.control_characters import (
    first_refused,
    form_strings,
    json_strings,
    refused_message,
)
from program.core.refusals import too_large_message


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is too large.")


# A JSON string, so that brackets inside strings are not counted. An unterminated one runs to
# the end: a pattern that could fail would be tried again from every later quote, which takes
# quadratic time on a body of escaped quotes.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_too_deep(body: bytes, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than `limit` at some point (for
    a text that is not JSON: whether Python's parser would recurse deeper before noticing)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False  # no deeper than the number of brackets opened: the usual body ends here
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit


def _encoding(parser_context: Mapping[str, Any] | None) -> str:
    return str((parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET)


def _read_limited(stream: Any) -> bytes:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    body = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:
        raise RequestTooLarge(too_large_message(limit))
    return bytes(body)


def _refuse_control_characters(pairs: Any) -> None:
    found = first_refused(pairs)
    if found:
        field, character = found
        raise ValidationError({field: [refused_message(field, character)]}, code="invalid")


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = _read_limited(stream)
        limit = int(settings.REQUEST_JSON_MAX_DEPTH)
        if json_too_deep(body, limit):
            raise ParseError(
                _("The JSON body nests arrays and objects more than %(limit)d deep.")
                % {"limit": limit}
            )
        encoding = _encoding(parser_context)
        try:
            text = codecs.decode(body, encoding)
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, LookupError) as error:  # UnicodeDecodeError is a ValueError
            raise ParseError(
                _("The body is not valid JSON: %(reason)s") % {"reason": error}
            ) from None
        if not isinstance(data, dict):
            raise ParseError(_("The JSON body must be an object ({…}) of fields."))
        _refuse_control_characters(json_strings(data))
        return data


class FormParser(parsers.FormParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = _read_limited(stream)
        try:
            data = QueryDict(body, encoding=_encoding(parser_context))
        except SuspiciousOperation:
            raise ParseError(_("The form has more fields than any form here.")) from None
        _refuse_control_characters(form_strings(data))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            raise RequestTooLarge(too_large_message(limit)) from None
        except (SuspiciousOperation, MultiPartParserError, ValueError) as error:
            raise ParseError(
                _("The multipart body could not be read: %(reason)s") % {"reason": error}
            ) from None
        _refuse_control_characters(form_strings(parsed.data, parsed.files))
        return parsed
