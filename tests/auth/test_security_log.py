"""The security event log: JSON lines for log-ins, failures, lock-outs, second-factor, role and
password changes, deactivations and refused access; a user name cannot forge a line."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from program.core.roles import Role
from program.core.security_log import LOGGER_NAME, JsonFormatter, security_event
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    @property
    def events(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.lines]

    def named(self, event: str) -> list[dict[str, object]]:
        return [entry for entry in self.events if entry["event"] == event]


@pytest.fixture
def security_log() -> Iterator[Captured]:
    """The logger's lines as the configured handler writes them (same formatter), in memory."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield Captured(stream)
    finally:
        logger.removeHandler(handler)


def test_settings_send_the_security_logger_to_stdout_as_json() -> None:
    config: dict[str, Any] = settings.LOGGING
    handlers = config["loggers"][LOGGER_NAME]["handlers"]
    handler = config["handlers"][handlers[0]]
    assert handler["stream"] == "ext://sys.stdout"
    assert config["formatters"][handler["formatter"]]["()"].endswith("JsonFormatter")
    assert config["loggers"][LOGGER_NAME]["propagate"] is False


def test_a_user_name_with_line_breaks_cannot_forge_a_line(security_log, make_user) -> None:
    forged = json.dumps({"event": "login", "username": "admin", "actor": "admin"})
    evil = f"mallory\n{forged}\r\n\u2028{forged}\x1b[2J"
    security_event("login_failed", username=evil)
    Client().post(reverse("login"), {"username": evil, "password": "whatever"})
    make_user(evil[:150])  # a real account with that name: its name is logged as typed
    Client().post(reverse("login"), {"username": evil[:150], "password": "wrong"})
    assert len(security_log.lines) == len(security_log.events)  # every line is one JSON object
    names = [entry.get("username") for entry in security_log.events]
    assert evil in names
    assert evil[:150] in names
    assert not any(entry.get("username") == "admin" for entry in security_log.events)
    assert "\u2028" not in security_log.stream.getvalue()
    assert "\x1b" not in security_log.stream.getvalue()


def test_log_in_failure_and_success_are_logged_without_the_password(
    security_log, make_user
) -> None:
    make_user("carla", Role.CASEWORKER)
    client = Client()
    client.post(reverse("login"), {"username": "carla", "password": "wrong-password-typed"})
    client.post(reverse("login"), {"username": PASSWORD, "password": "x"})  # password as name
    client.post(reverse("login"), {"username": "carla", "password": PASSWORD})
    failed = security_log.named("login_failed")
    assert [entry["username"] for entry in failed] == ["carla", None]
    assert failed[1]["known_user"] is False
    (login,) = security_log.named("login")
    assert login["username"] == "carla"
    assert login["ip"] == "127.0.0.1"
    assert login["time"].endswith("+00:00")  # UTC
    assert login["request_id"] not in (None, "", "-")
    text = security_log.stream.getvalue()
    assert PASSWORD not in text
    assert "wrong-password-typed" not in text


def test_a_lock_out_is_logged(security_log, make_user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    make_user("carla")
    for _ in range(2):
        Client().post(reverse("login"), {"username": "carla", "password": "wrong"})
    (lockout,) = security_log.named("lockout")
    assert lockout["username"] == "carla"
    assert lockout["level"] == "WARNING"


def test_role_changes_and_superuser_flag_are_logged(security_log, make_user) -> None:
    user = make_user("carla")
    caseworker = Group.objects.get(name=Role.CASEWORKER)
    user.groups.add(caseworker)
    user.groups.remove(caseworker)
    caseworker.user_set.add(user)
    user.groups.clear()
    user.is_superuser = True
    user.save()
    granted = [(e["username"], e["role"]) for e in security_log.named("role_granted")]
    revoked = [(e["username"], e["role"]) for e in security_log.named("role_revoked")]
    assert granted == [("carla", "caseworker"), ("carla", "caseworker"), ("carla", "system_admin")]
    assert revoked == [("carla", "caseworker"), ("carla", "caseworker")]


def test_role_change_in_the_admin_names_the_actor(security_log, make_user, sysadmin) -> None:
    user = make_user("carla", Role.CASEWORKER)
    auditor = Group.objects.get(name=Role.AUDITOR)
    response = sysadmin.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": "carla",
            "first_name": "Carla",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [auditor.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (granted,) = [e for e in security_log.named("role_granted") if e["actor"] == "sys"]
    (revoked,) = [e for e in security_log.named("role_revoked") if e["actor"] == "sys"]
    assert (granted["role"], revoked["role"]) == ("auditor", "caseworker")
    assert granted["actor"] == "sys"


def test_refused_access_is_logged_for_pages_and_the_api(security_log, caseworker) -> None:
    assert caseworker.get(reverse("finance:terms")).status_code == 403
    assert caseworker.get(reverse("api:tranche-list")).status_code == 403
    refused = security_log.named("access_refused")
    assert [entry["route"] for entry in refused] == ["finance:terms", "api:tranche-list"]
    assert all(entry["actor"] == "carla" for entry in refused)


def test_second_factor_events_are_logged(security_log, make_user) -> None:
    from tests.auth.test_second_factor import _enrolled

    make_user("root", superuser=True)
    client, _secret = _enrolled("root")
    client.post(reverse("account:second-factor"), {"action": "remove", "password": PASSWORD})
    events = [entry["event"] for entry in security_log.events]
    assert "second_factor_enrolled" in events
    assert "second_factor_removed" in events
