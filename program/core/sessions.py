"""Session lifetime: 30 minutes idle, 12 hours in all, and ending a user's sessions on demand.

Django's own expiry is one sliding age; this adds the absolute limit and the idle limit by keeping
the sign-in time and the last-seen time in the session itself.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED_KEY = "_session_started_at"
SEEN_KEY = "_session_seen_at"
# Last-seen is rewritten at most this often: saving the session on every request would be a
# database write per page and per htmx swap, and a minute is nothing against 30.
SEEN_RESOLUTION = 60


def _expired(started: float, seen: float, now: float) -> bool:
    return (
        now - seen > settings.SESSION_IDLE_TIMEOUT
        or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
    )


class SessionTimeoutMiddleware:
    """Sign out a session idle for too long or open for too long.

    Pages go to the log-in page with a message; API requests signed in by session get 401.

    The clock starts when signing in writes the session. A signed-in session without a clock was
    made some other way (the test client's force_login, or before this middleware was deployed):
    it gets one the next time it is written anyway, rather than costing a write of its own on a
    page whose queries are counted; SESSION_COOKIE_AGE still bounds it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED_KEY)
            seen = request.session.get(SEEN_KEY)
            if started is not None and seen is not None:
                if _expired(started, seen, now):
                    return self._signed_out(request)
                if now - seen >= SEEN_RESOLUTION:
                    request.session[SEEN_KEY] = now
        response = self.get_response(request)
        if (
            request.user.is_authenticated
            and STARTED_KEY not in request.session
            and request.session.modified  # signing in (or anything else) writes it anyway
        ):
            now = time.time()
            request.session[STARTED_KEY] = now
            request.session[SEEN_KEY] = now
        return response

    @staticmethod
    def _signed_out(request: HttpRequest) -> HttpResponse:
        logout(request)
        message = _("You were signed out because your session ended. Please sign in again.")
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"error": {"code": "session_expired", "message": message, "details": {}}},
                status=401,
            )
            response["WWW-Authenticate"] = "Session"
            return response
        messages.info(request, message)
        # Back to the page after signing in again, unless it was a form post (now lost).
        next_url = request.get_full_path() if request.method in {"GET", "HEAD"} else ""
        return redirect_to_login(next_url)


def user_sessions_end(*, user: AbstractBaseUser, keep_session_key: str | None = None) -> int:
    """Delete every unexpired session signed in as `user`, but `keep_session_key` (the session
    that changed the password stays signed in); return how many were ended.

    Sessions are stored signed and encoded, so each live one is decoded to find its user: a
    scan of the session table, fine for a staff system's few hundred sessions.
    """
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        .exclude(pk=keep_session_key or "")
        .iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
