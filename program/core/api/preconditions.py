"""Lost-update protection for the API: ETag out, If-Match in (RFC 9110 §13.1.1, RFC 6585 §3).

A GET of a versioned row answers with its version as an ETag; a write on that row must send the
ETag back in If-Match. Without it the write is refused with 428, since it could overwrite a
change the client never saw; with a stale one, 412. The view only parses the header: the
service compares the version with the row while it holds the row's lock (compare-and-set), so
the check and the write cannot be separated by someone else's write.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from program.core.errors import PreconditionFailedError, PreconditionRequiredError

V = TypeVar("V")

# A strong entity tag; W/ is tolerated on the way in because a proxy that compresses a response
# may weaken the ETag the client saw, and the version inside is still the row's.
_ENTITY_TAG = re.compile(r'^(?:W/)?"([^"\s]{1,64})"$')
# The schema's spelling of an entity tag (RFC 9110 §8.8.3: visible ASCII but the quote).
ENTITY_TAG_SYNTAX = r'^(?:W/)?"[!#-~]{1,64}"$'
_VERSION_NUMBER = re.compile(r"^[0-9]{1,9}$")  # fits the PositiveIntegerField it is compared to


def etag(version: int) -> str:
    """The ETag of a row at this version (its integer `version`, program/core/versioning)."""
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def version_number(value: str) -> int:
    """Parse the version counter inside an ETag."""
    if not _VERSION_NUMBER.match(value):
        raise ValueError(value)
    return int(value)


def if_match(request: Request, *, parse: Callable[[str], V], thing: str) -> V:
    """The version the client last read, from If-Match.

    Missing (or `*`, which matches any version and so protects nothing): 428, saying how to get
    the ETag. Not an ETag this API gives out: 412, since it cannot match the current one.
    """
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        raise PreconditionRequiredError(
            _(
                "Send the If-Match header with the ETag of the %(thing)s: read the %(thing)s "
                "(GET) and copy its ETag header, so that a change made since then is not "
                "overwritten."
            )
            % {"thing": thing},
            details={"If-Match": ["required"]},
        )
    match = _ENTITY_TAG.match(header)
    try:
        if match is None:
            raise ValueError(header)
        return parse(match.group(1))
    except ValueError as error:
        raise PreconditionFailedError(
            _(
                "If-Match does not hold an ETag of this %(thing)s (send exactly one, in double "
                'quotes, as read, e.g. "3"); read the %(thing)s again and send its ETag.'
            )
            % {"thing": thing},
            details={"If-Match": ["not a current ETag"]},
        ) from error


# --- OpenAPI ----------------------------------------------------------------------------------

ERROR_BODY = inline_serializer(
    "PreconditionError",
    {
        "error": inline_serializer(
            "PreconditionErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.DictField(),
            },
        )
    },
)


def if_match_parameter(thing: str) -> OpenApiParameter:
    return OpenApiParameter(
        name="If-Match",
        type=OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=True,
        pattern=ENTITY_TAG_SYNTAX,
        description=(
            f"The ETag of the {thing} as last read (the ETag header of GET on it). A stale "
            "one is refused with 412; a write without it is refused with 428."
        ),
    )


def etag_header(*statuses: int) -> OpenApiParameter:
    """The ETag response header on the given statuses."""
    return OpenApiParameter(
        name="ETag",
        type=OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        response=list(statuses),
        description="The row's current version; send it as If-Match with the next write.",
    )


def precondition_responses(thing: str) -> dict[int, Any]:
    return {
        412: OpenApiResponse(
            ERROR_BODY,
            description=f"If-Match does not match the {thing}'s current ETag: someone changed "
            "it since you read it (the error says who, what and when). Nothing was written.",
        ),
        428: OpenApiResponse(
            ERROR_BODY,
            description=f"No If-Match: read the {thing} and send its ETag. Nothing was written.",
        ),
    }
