"""What a password must not be, and what happens after too many wrong ones.

The validator refuses the words an attacker guesses first for this system. The lock-out pieces
plug into django-axes (settings AXES_*): the backend, which address a request comes from, and the
page a locked-out user sees.
"""

import ipaddress
import logging
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.lockout import USER_AND_ADDRESS, lockout_rule, rules

logger = logging.getLogger(__name__)

# The programme, its places and its owners: the first words a guesser tries here.
CONTEXT_WORDS = (
    "gjilan",
    "kosovo",
    "prison",
    "fængsel",
    "kriminalforsorgen",
    "denmark",
    "danmark",
    "programme",
    "pasjak",
    "place",
)


class ContextWordValidator:
    """Refuse a password that contains a word of this programme, in any letter case."""

    def __init__(self, words: tuple[str, ...] = CONTEXT_WORDS) -> None:
        self.words = tuple(word.casefold() for word in words)

    def validate(self, password: str, user: object = None) -> None:
        folded = password.casefold()
        found = [word for word in self.words if word in folded]
        if found:
            raise ValidationError(
                _("The password contains “%(word)s”, a word too close to this programme."),
                code="password_context_word",
                params={"word": found[0]},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can’t contain the names of the programme, its places or its owners."
        )


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lock-out check, skipped only when there is no request at all.

    authenticate() without a request never comes from the network: every HTTP way in (the log-in
    page, the admin log-in, DRF's AuthTokenSerializer) passes its request. It comes from code run
    by someone already on the server (the test client's login(), a shell), where a lock-out
    protects nothing and axes would raise instead.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address that counts for the lock-out.

    REMOTE_ADDR unless AXES_TRUSTED_PROXY_COUNT says how many proxies of our own append to
    X-Forwarded-For; then the entry that many places from the right, which a client cannot
    forge (anything a client sends itself sits further left).
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.AXES_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return str(candidate)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """Say plainly that sign-in is locked, why, and from when it can be tried again."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = int(cool_off.total_seconds() // 60)
    try_again_at = timezone.localtime() + cool_off
    logger.warning(
        "Sign-in locked (%s) for %r from %s for %d minutes.",
        lockout_rule(request) or USER_AND_ADDRESS,
        get_client_username(request, credentials),
        client_ip(request),
        minutes,
    )
    message = _(
        "Too many failed sign-ins. Signing in is locked for %(minutes)d minutes, until %(time)s."
    ) % {"minutes": minutes, "time": try_again_at.strftime("%H:%M")}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "locked_out", "message": message, "details": {}}}, status=429
        )
    rule = lockout_rule(request) or USER_AND_ADDRESS
    context = {
        "minutes": minutes,
        "try_again_at": try_again_at,
        "rule": rule,
        "failure_limit": next(r.limit for r in rules() if r.name == rule),
    }
    return render(request, "registration/locked_out.html", context, status=429)
