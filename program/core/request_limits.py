"""What any client, signed in or not, can make the server do before a view: little, and bounded.

RequestLimitsMiddleware runs first (after the request id), before sessions, CSRF and sign-in. It
reads headers and the query string only, never a JSON body:
- a Content-Length that is not a number of bytes is a 400;
- a body larger than the address accepts is a 413 before a byte of it is read:
  DATA_UPLOAD_MAX_MEMORY_SIZE for anything but multipart, REQUEST_UPLOAD_MAX_BYTES for multipart
  (documents, evidence and imports, whose own limits then say what is wrong more precisely);
- the query string is parsed (at most DATA_UPLOAD_MAX_NUMBER_FIELDS fields) and refused when it
  holds a NUL or a text-direction control (program.core.control_characters);
- a POST form is parsed here only when CSRF's check would parse it next anyway (a CSRF cookie is
  present, so CsrfViewMiddleware reads the token from the form), so that a form beyond Django's
  limits is a 400 or 413 rather than an exception and a logged traceback in CSRF's check.

Everything else in a body is read only where a view needs it: a page's form after the route
policy, an API body in the API's parsers (size and nesting limits) after authentication.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from program.core.control_characters import first_refused, form_strings, refuse_control_character
from program.core.refusals import FORM_TYPES, parse_form, refusal, too_large_message


def body_limit(request: HttpRequest) -> int:
    """The most bytes of body this request may carry."""
    if request.content_type == "multipart/form-data":
        return int(settings.REQUEST_UPLOAD_MAX_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refused(request) or self.get_response(request)

    def refused(self, request: HttpRequest) -> HttpResponse | None:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not (declared.isascii() and declared.isdigit()):
            return refusal(
                request,
                400,
                "parse_error",
                _("The Content-Length header must be a number of bytes."),
            )
        limit = body_limit(request)
        if int(declared) > limit:
            return refusal(request, 413, "too_large", too_large_message(limit))
        try:
            query = request.GET
            found = first_refused(form_strings(query))
        except SuspiciousOperation:
            return refusal(
                request,
                400,
                "parse_error",
                _("The query string has more parameters than any address here takes."),
            )
        if found:
            return refuse_control_character(request, *found)
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and settings.CSRF_COOKIE_NAME in request.COOKIES
        ):
            return parse_form(request)
        return None
