"""Which language a request is answered in, and the cookie that carries a user's choice.

Pages look in this order (docs/i18n.md):
1. the language cookie (settings.LANGUAGE_COOKIE_NAME), set by the switch in the page header and
   at sign-in;
2. the signed-in user's saved language (core.UserPreferences), which sign-in copies into the
   session, so finding it costs no query of its own; a user who never chose and whose roles
   all share a default language (settings.ROLE_LANGUAGES: Albanian for the host facility's
   staff) gets that one at sign-in instead;
3. settings.LANGUAGE_CODE.
The browser's Accept-Language is not asked for pages: the staff share workstations whose
browser language says nothing about the reader, and the switch is one click away.

The API (/api/) asks Accept-Language first, since that is how a client says what it reads; its
error messages follow it. Its data stays locale-free whatever the language: ISO dates and
decimal points (the serializers never localize).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

# Where sign-in and the switch keep the user's saved language for the rest of the session.
SESSION_KEY = "_language"
# Set on a request whose response must carry a new language cookie (sign-in, the switch).
COOKIE_ATTRIBUTE = "language_for_cookie"
API_PREFIX = "/api/"


def offered(code: str | None) -> str | None:
    """The code of an offered language (settings.LANGUAGES) for `code`, or None: "en-GB" is
    "en"; a language that is not offered, or has no catalogue, is None."""
    if not code:
        return None
    try:
        found = translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None
    return found if found in dict(settings.LANGUAGES) else None


def _from_accept_language(request: HttpRequest) -> str | None:
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        found = offered(code)
        if found:
            return found
    return None


def request_language(request: HttpRequest) -> str:
    """The language to answer this request in (the order in the module's docstring)."""
    if request.path.startswith(API_PREFIX):
        found = _from_accept_language(request)
        if found:
            return found
    found = offered(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if found:
        return found
    session = getattr(request, "session", None)
    found = offered(session.get(SESSION_KEY)) if session is not None else None
    return found or settings.LANGUAGE_CODE


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def remember(request: HttpRequest, language: str) -> None:
    """Write `language` to the cookie with the response, and keep it for a signed-in user's
    session (an anonymous visitor has the cookie alone: no session row is made for them)."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is not None and user is not None and user.is_authenticated:
        session[SESSION_KEY] = language
    setattr(request, COOKIE_ATTRIBUTE, language)


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware with the project's order of sources (request_language), and
    the language cookie written when sign-in or the switch asked for it."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        language = getattr(request, COOKIE_ATTRIBUTE, None)
        if language:
            set_language_cookie(response, language)
        return response


def role_default(user: AbstractBaseUser) -> str | None:
    """The language every one of the user's roles defaults to (roles.ROLE_LANGUAGES), if
    they agree and it is offered; None for a user with a role that has no default."""
    from program.core.roles import ROLE_LANGUAGES, user_roles

    if not settings.ROLE_LANGUAGES_APPLY:
        return None
    defaults = {ROLE_LANGUAGES.get(role) for role in user_roles(user)}
    if len(defaults) != 1:
        return None
    return offered(defaults.pop())


def user_logged_in(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """At sign-in the user's saved language wins over the device's cookie: it is written to
    the cookie and the session. A user who never chose gets their roles' default language if
    they have one (the host facility's staff: Albanian), else keeps what the device shows."""
    from program.core.selectors import user_language

    if request is None:
        return
    saved = offered(user_language(user_id=user.pk)) or role_default(user)
    if saved:
        remember(request, saved)
        translation.activate(saved)
        request.LANGUAGE_CODE = saved
