"""Lock-out after failed sign-ins that an attacker cannot turn against named staff.

django-axes counts failed sign-ins per user name, address and browser (AccessAttempt rows) and
asks a handler how many count against this request. Its own handler compares every counted
combination with one limit, so with "user name" among them five wrong passwords typed by anyone,
anywhere, lock a named person out (both finance approvers, say). Here each combination has its
own limit (settings, README "Configuration"):
- a user name from one address: AXES_FAILURE_LIMIT (5), the guesser at the keyboard;
- one address, over all user names: LOCKOUT_ADDRESS_FAILURE_LIMIT (20), a password sprayer;
- a user name, over all addresses: LOCKOUT_USERNAME_FAILURE_LIMIT (50), a distributed guesser;
  many more than the first, so locking a colleague out takes a botnet rather than a minute.
Each lasts AXES_COOLOFF_TIME after the last failure. Every lock-out goes to the security log
(program.core.security_events) with the rule that locked it, and administrators see the counts
and clear them in the admin (program.core.admin).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

# The combinations counted, in the order AXES_LOCKOUT_PARAMETERS names them.
USER_AND_ADDRESS = "user_and_address"
ADDRESS = "address"
USER = "user"
LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "ip_address", "username"]


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int


def rules() -> list[Rule]:
    return [
        Rule(USER_AND_ADDRESS, int(settings.AXES_FAILURE_LIMIT)),
        Rule(ADDRESS, int(settings.LOCKOUT_ADDRESS_FAILURE_LIMIT)),
        Rule(USER, int(settings.LOCKOUT_USERNAME_FAILURE_LIMIT)),
    ]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with a limit of its own for each combination counted.

    Axes locks when get_failures() reaches AXES_FAILURE_LIMIT; this answers that limit (or more)
    when any combination has reached its own, and otherwise the failures of the user name from
    this address, kept below it.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        counted = self.get_user_attempts(request, credentials)
        pair_limit = int(settings.AXES_FAILURE_LIMIT)
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in counted
        ]
        for rule, count in zip(rules(), counts, strict=True):
            if count >= rule.limit:
                request.lockout_rule = rule.name  # type: ignore[attr-defined]
                return max(count, pair_limit)
        return min(counts[0], pair_limit - 1)


def lockout_rule(request: HttpRequest | None) -> str | None:
    """Which combination locked this request out, once the handler has counted."""
    return getattr(request, "lockout_rule", None)


def _recent(**filters: Any) -> int:
    """Failures counted now (within the cool-off) for these filters."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, **filters)
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def rules_reached(*, username: str | None, ip_address: str | None) -> list[str]:
    """The rules that lock this user name or address out now (for the admin's list)."""
    counts = {
        USER_AND_ADDRESS: _recent(username=username, ip_address=ip_address),
        ADDRESS: _recent(ip_address=ip_address),
        USER: _recent(username=username),
    }
    return [rule.name for rule in rules() if counts[rule.name] >= rule.limit]


def lockouts_clear(*, usernames: Sequence[str] = (), ip_addresses: Sequence[str] = ()) -> int:
    """Clear the failed sign-ins of these user names (from every address) and from these
    addresses (for every user name), and say so in the security log. Returns the rows cleared."""
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model

    from program.core.security_log import security_event

    cleared = 0
    for username in usernames:
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        cleared += count
        # A typed name is logged only when it is an account: people type passwords there too.
        known = get_user_model()._default_manager.filter(username=username).exists()
        security_event(
            "lockout_cleared",
            level=logging.WARNING,
            username=username if known else None,
            known_user=known,
        )
    for ip_address in ip_addresses:
        count, _ = AccessAttempt.objects.filter(ip_address=ip_address).delete()
        cleared += count
        security_event("lockout_cleared", level=logging.WARNING, cleared_ip=ip_address)
    return cleared
