"""Malformed, deeply nested, huge and wrongly typed bodies against every route, signed in and not:
never a 5xx, never an error logged.

The routes are not listed by hand: every URL pattern the resolver knows (the Django admin's
included, and an address that matches none) is given each body with each write method its
policy names, plus POST. Anonymous requests carry a CSRF cookie and CSRF is enforced, as a real
attacker's would be, so the form parse CSRF's check makes is exercised too. The signed-in client
is a role that may write to the route (the system administrator for the admin), with CSRF off,
so the bodies reach the views; of the admin's 160 routes, which are a dozen views of Django's
repeated for each model, it sends to one of each view.
"""

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from program.core.policy import READ, Access, access_for, is_api
from program.core.roles import SYSTEM_ADMIN, Role
from tests.hostile.conftest import Programme
from tests.hostile.test_hostile_input import PAGE_ARGS, TARGET_ARGS

PERSONA_ORDER = [
    Role.CASEWORKER,
    Role.OCCUPANCY_ADMIN,
    Role.FINANCE_OFFICER,
    Role.FINANCE_APPROVER,
    Role.AUDITOR,
]
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Body:
    name: str
    content_type: str
    data: bytes
    headers: dict[str, str] | None = None
    # Only the API's JSON parser tells this body from other JSON: a page reads no JSON, and
    # its signed-in answer would be the same form shown again as for the other JSON bodies.
    json_detail: bool = False


def _multipart_files(count: int) -> bytes:
    parts = [
        b'--b\r\nContent-Disposition: form-data; name="f%d"; filename="f%d.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%%PDF-1.4\r\n" % (n, n)
        for n in range(count)
    ]
    return b"".join(parts) + b"--b--\r\n"


def _bodies() -> list[Body]:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    wrong_types = {
        "inmate": [[]],
        "place": {"pk": 1},
        "on": 12,
        "reason": None,
        "kind": [1.5],
        "amount": "NaN",
        "note": {"x": [True]},
        "state": -1,
        "name": 10**40,
    }
    return [
        Body("958 nested arrays", JSON, b"[" * 958 + b"]" * 958),
        Body("50,000 unclosed arrays", JSON, b"[" * 50_000),
        Body("3,000 nested objects", JSON, b'{"a":' * 3000 + b"1" + b"}" * 3000, json_detail=True),
        Body("brackets inside strings", JSON, b'{"a": "' + b"[" * 5000 + b'"}', json_detail=True),
        Body("truncated JSON", JSON, b'{"reason": ', json_detail=True),
        Body("JSON over the size limit", JSON, b'{"a": "' + b"x" * limit + b'"}'),
        Body("JSON just under the size limit", JSON, b'{"a": [' + b"0," * (limit // 3) + b"0]}"),
        Body("a JSON array", JSON, b"[1, 2, 3]", json_detail=True),
        Body("a JSON string", JSON, b'"text"', json_detail=True),
        Body("JSON null", JSON, b"null", json_detail=True),
        Body("a JSON number", JSON, b"12.5", json_detail=True),
        Body("wrongly typed fields", JSON, json.dumps(wrong_types).encode()),
        Body("NaN and Infinity", JSON, b'{"amount": NaN, "places": Infinity}', json_detail=True),
        Body("a 5,000-digit number", JSON, b'{"places": ' + b"9" * 5000 + b"}", json_detail=True),
        Body("invalid UTF-8", JSON, b'{"reason": "\xff\xfe\xfd"}', json_detail=True),
        Body(
            "an unknown charset",
            f"{JSON}; charset=x-nonsense",
            b'{"reason": "x"}',
            json_detail=True,
        ),
        Body(
            "UTF-16 JSON",
            f"{JSON}; charset=utf-16",
            '{"reason": "x"}'.encode("utf-16"),
            json_detail=True,
        ),
        Body("a NUL in JSON", JSON, b'{"reason": "a\\u0000b", "n\\u0000": 1}', json_detail=True),
        Body("empty JSON", JSON, b"", json_detail=True),
        Body("2,000 form fields", FORM, "&".join(f"f{n}=1" for n in range(2000)).encode()),
        Body("a form in Latin-1", f"{FORM}; charset=latin-1", b"reason=caf\xe9"),
        Body("a form over the size limit", FORM, b"reason=" + b"x" * limit),
        Body("a NUL in a form", FORM, b"reason=a%00b"),
        Body("multipart without boundary", "multipart/form-data", b"--x\r\n"),
        Body("broken multipart", "multipart/form-data; boundary=b", b"--b\r\ngarbage"),
        Body("150 files", "multipart/form-data; boundary=b", _multipart_files(150)),
        Body(
            "multipart over the upload limit",
            "multipart/form-data; boundary=b",
            b"--b--\r\n",
            {"CONTENT_LENGTH": str(settings.REQUEST_UPLOAD_MAX_BYTES + 1)},
        ),
        Body("a Content-Length that is no number", JSON, b"{}", {"CONTENT_LENGTH": "12abc"}),
        Body("a negative Content-Length", JSON, b"{}", {"CONTENT_LENGTH": "-5"}),
        Body("XML", "application/xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>"),
        Body("binary", "application/octet-stream", bytes(range(256)) * 64),
    ]


def _named_patterns(patterns: list[Any], namespace: str, prefix: str) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def _path(name: str, pattern: str, programme: Programme) -> str:
    """A concrete address for a URL pattern, naming a seeded row where the route takes one."""

    def value(match: re.Match[str]) -> str:
        argument = match.group(1)
        if argument == "pk":
            seeded = TARGET_ARGS.get(name) or PAGE_ARGS.get(name, [None])[0]
            return str(getattr(programme, seeded, 1)) if seeded else "1"
        return {"name": "min_days_left", "app_label": "auth", "url": "nothing-here"}.get(
            argument, "1"
        )

    path = _GROUP.sub(value, _CONVERTER.sub(value, pattern))
    return "/" + path.replace("^", "").replace("$", "")


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> Iterator[_Recorder]:
    """Every ERROR record, from loggers that propagate and from those that do not.

    Django's warning for each 4xx is silenced meanwhile: thousands of them, each holding its
    request (and its megabytes of body) in pytest's log capture, would fill the memory."""
    recorder = _Recorder()
    names = ["", "django", "program.security"]
    for name in names:
        logging.getLogger(name).addHandler(recorder)
    django_request = logging.getLogger("django.request")
    level = django_request.level
    django_request.setLevel(logging.ERROR)
    yield recorder
    django_request.setLevel(level)
    for name in names:
        logging.getLogger(name).removeHandler(recorder)


def _role_for(name: str) -> str:
    """A role that may write to the route (or read it, when it takes no writes)."""
    access = access_for(name)
    if access is None or name.startswith("admin:"):
        return SYSTEM_ADMIN
    if access.public or access.any_signed_in:
        return str(Role.CASEWORKER)
    wanted = access.write_roles if access.methods - READ else access.roles
    return next((str(role) for role in PERSONA_ORDER if role in wanted), SYSTEM_ADMIN)


def _routes() -> list[tuple[str, str]]:
    routes = sorted(set(_named_patterns(get_resolver().url_patterns, "", "")))
    return [*routes, ("(no route)", "no/such/address/")]


def _admin_shape(pattern: str) -> str:
    """The Django admin's address with its model left out: its 160 routes are the same dozen
    views for each model."""
    return re.sub(r"^admin/[a-z_]+/[a-z_]+/", "admin/<app>/<model>/", pattern)


def _signed_in_routes(routes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every route, but of the admin's one per view (the first model's): the admin's views are
    Django's own and do the same for every model, at several times the cost of a page."""
    chosen: list[tuple[str, str]] = []
    shapes: set[str] = set()
    for name, pattern in routes:
        if name.startswith("admin:"):
            if _admin_shape(pattern) in shapes:
                continue
            shapes.add(_admin_shape(pattern))
        chosen.append((name, pattern))
    return chosen


@pytest.fixture
def clients(persona) -> dict[str, Client]:
    """Signed in before the programme is seeded: its finance rows reuse the personas' users."""
    made = {role: persona(role) for role in {_role_for(name) for name, _ in _routes()}}
    for client in made.values():
        client.raise_request_exception = False  # a crash is a 500 to count, not a stop
    return made


@pytest.mark.django_db
def test_no_body_makes_any_route_fail(clients, programme: Programme, error_log) -> None:
    bodies = _bodies()
    routes = _routes()
    signed_in_routes = set(_signed_in_routes(routes))
    anonymous = Client(enforce_csrf_checks=True, raise_request_exception=False)
    anonymous.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    started = time.monotonic()
    for name, pattern in routes:
        path = _path(name, pattern, programme)
        access = access_for(name) or Access()
        # The API's other write methods too; pages and the admin read a body on POST only.
        methods = sorted({"POST"} | set(access.methods - READ if is_api(name) else ()))
        role = _role_for(name)
        who_sends = [("anonymous", anonymous)]
        if (name, pattern) in signed_in_routes:
            who_sends.append((role, clients[role]))
        for body in bodies:
            for method in methods:
                for who, client in who_sends:
                    if who != "anonymous" and body.json_detail and not is_api(name):
                        continue
                    response = client.generic(
                        method,
                        path,
                        body.data,
                        content_type=body.content_type,
                        **(body.headers or {}),
                    )
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        failures.append(
                            f"{method} {path} ({name}, {who}) [{body.name}]: {response.status_code}"
                        )
                if name == "logout":  # signing out ends the session: sign in again
                    clients[role].force_login(User.objects.get(username="carla"))
    took = time.monotonic() - started
    requests = sum(statuses.values())
    print(
        f"\nbody fuzz: {len(routes)} routes ({len(signed_in_routes)} also signed in), "
        f"{len(bodies)} bodies, {requests} requests in "
        f"{took:.0f} s; statuses {dict(sorted(statuses.items()))}; {len(failures)} × 5xx; "
        f"{len(error_log.records)} errors logged"
    )
    assert failures == [], "\n".join(failures[:40])
    logged = [f"{r.name}: {r.getMessage()[:200]}" for r in error_log.records]
    assert logged == [], "\n".join(logged[:20])
