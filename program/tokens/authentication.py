"""DRF authentication by personal API token: `Authorization: Bearer <token>` (or `Token <token>`).

Every refusal is a 401 that says why and what to do: an unknown token, a revoked or expired one,
a deactivated account. A refusal is also a security event (never with the token itself).
"""

import logging
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from program.core.security_log import security_event
from program.tokens import services

KEYWORDS = ("bearer", "token")


def _refuse(
    request: Request, code: str, message: str, **facts: Any
) -> exceptions.AuthenticationFailed:
    security_event(
        "api_token_refused", request=request._request, level=logging.WARNING, reason=code, **facts
    )
    return exceptions.AuthenticationFailed(message, code=code)


def _where_to_make_one() -> str:
    return reverse("account:tokens")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None  # no token: session authentication may still apply
        if len(parts) != 2:
            raise _refuse(
                request,
                "token_malformed",
                _("Send the token as “Authorization: Bearer <token>”, with nothing else after it."),
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise _refuse(
                request, "token_malformed", _("The token holds characters no token has.")
            ) from None
        token = services.api_token_find(key)
        if token is None:
            raise _refuse(
                request,
                "token_unknown",
                _(
                    "This API token is not known. Check that it was copied whole, or make a new "
                    "one on your account page (%(page)s)."
                )
                % {"page": _where_to_make_one()},
            )
        now = timezone.now()
        facts = {"username": token.user.get_username(), "token_id": token.pk}
        if token.revoked_at is not None:
            raise _refuse(
                request,
                "token_revoked",
                _(
                    "This API token was revoked on %(when)s. Make a new one on your account "
                    "page (%(page)s)."
                )
                % {"when": _when(token.revoked_at), "page": _where_to_make_one()},
                **facts,
            )
        if token.is_expired(now):
            raise _refuse(
                request,
                "token_expired",
                _(
                    "This API token expired on %(when)s. Make a new one on your account page "
                    "(%(page)s)."
                )
                % {"when": _when(token.expires_at), "page": _where_to_make_one()},
                **facts,
            )
        if not token.user.is_active:
            raise _refuse(
                request,
                "account_inactive",
                _("The account this token belongs to is deactivated."),
                **facts,
            )
        services.api_token_used(token=token, at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Present, so that "not signed in" is a 401 with WWW-Authenticate rather than a 403.
        return f'{self.keyword} realm="api"'


def _when(moment: Any) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the OpenAPI schema names this authentication: HTTP bearer."""

    target_class = "program.tokens.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made by its user on the page /account/tokens/ (My account "
                "› API tokens). Send `Authorization: Bearer <token>`."
            ),
        }
