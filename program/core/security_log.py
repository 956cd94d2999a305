"""The security event log: one JSON object per line, for log-ins, lock-outs, second-factor
changes, role changes, refused access, password changes and deactivations.

Events go to the logger `program.security`, which settings.LOGGING sends to stdout through
JsonFormatter, so a log shipper can forward them off the host. Every value, a user name too, is
JSON-encoded with non-ASCII escaped: a line break, a line separator or a terminal escape typed into
a user name stays inside its string and cannot start a forged line. Events carry user names,
addresses, routes and role names; never passwords, codes, secrets or anything about an inmate.
"""

import contextvars
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from program.core.request_id import current_request_id

LOGGER_NAME = "program.security"
logger = logging.getLogger(LOGGER_NAME)

# The request being handled, so that an event raised far from the view (a user saved by the
# admin, a group added in a service) can still name who did it and from where.
_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "security_request", default=None
)


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: UTC time, level, event, request id, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        entry.update(getattr(record, "security", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ensure_ascii: U+2028 and other characters that some readers take as line ends are
        # written as \u escapes; json always escapes control characters such as \n and ESC.
        return json.dumps(entry, ensure_ascii=True, default=str, separators=(",", ":"))


class SecurityRequestMiddleware:
    """Remember the current request for security events raised outside the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def _actor(request: HttpRequest | None) -> str | None:
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        return None
    return str(user.get_username())


def _client_ip(request: HttpRequest) -> str | None:
    from program.core.passwords import client_ip  # imports axes, which needs the apps loaded

    return client_ip(request)


def security_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    level: int = logging.INFO,
    **fields: object,
) -> None:
    """Write one security event. `fields` are the event's own facts (user name, role, reason).

    The actor, address, route and request id are taken from the request (the current one when
    none is given); an event outside any request (a shell, a task) has no actor or address.
    """
    request = request if request is not None else current_request()
    facts: dict[str, object] = {"actor": _actor(request)}
    if request is not None:
        match = getattr(request, "resolver_match", None)
        facts["ip"] = _client_ip(request)
        facts["method"] = request.method
        facts["route"] = match.view_name if match else None
    facts.update(fields)
    logger.log(level, event, extra={"event": event, "security": facts})
