"""Answering a request that is refused for its shape (too large, malformed, a refused character)
before any view: the API's error shape for the API, a plain page otherwise.

The page is self-contained, like 500.html: it is shown before sign-in and the route policy, so it
renders without request context and queries nothing.
"""

from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.translation import gettext as _

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refusal(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": message, "details": details or {}}}
        return JsonResponse(body, status=status)
    page = loader.get_template("request_refused.html").render(
        {"status": status, "message": message}
    )
    return HttpResponse(page, status=status)


def too_large_message(limit: int) -> str:
    megabytes = f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
    return _("The request is larger than the %(limit)s MB this address accepts; send less.") % {
        "limit": megabytes
    }


def parse_form(request: HttpRequest) -> HttpResponse | None:
    """Parse a POST form body within Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE,
    DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES); a body beyond them, or one that
    is not the form it claims to be, is a 413 or a 400 here rather than an error (and a logged
    traceback) wherever the form is read first. Django keeps the result, so it is parsed once."""
    from django.conf import settings

    try:
        request.POST  # noqa: B018 - the parse is the point
        request.FILES  # noqa: B018
    except RequestDataTooBig:
        return refusal(
            request,
            413,
            "too_large",
            too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        )
    except (SuspiciousOperation, BadRequest, MultiPartParserError, UnreadablePostError) as error:
        # Too many fields or files, a broken multipart body, a charset other than UTF-8.
        return refusal(
            request,
            400,
            "parse_error",
            _("The form could not be read: %(reason)s") % {"reason": _form_problem(error)},
        )
    return None


def _form_problem(error: Exception) -> str:
    from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent

    if isinstance(error, TooManyFieldsSent):
        return _("it has more fields than any form here.")
    if isinstance(error, TooManyFilesSent):
        return _("it has more files than any form here.")
    if isinstance(error, UnreadablePostError):
        return _("the body ended before its stated length.")
    if isinstance(error, BadRequest):
        return _("a form must be sent in UTF-8.")
    return _("the multipart body is malformed.")
