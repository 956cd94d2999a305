"""Five wrong passwords lock a user name from one address for 30 minutes; the address alone after
20 and the user name alone after 50 (so no one can lock a named colleague out); headers do not
help; administrators see and clear lock-outs."""

import logging
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from program.core.demo_users import demo_password
from program.core.passwords import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, **headers: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_then_the_right_one_is_refused(make_user, client) -> None:
    make_user("carla")
    for _ in range(4):
        assert _sign_in(client, "carla", "wrong-password").status_code == 200
    assert _sign_in(client, "carla", "wrong-password").status_code == 429  # the fifth locks
    response = _sign_in(client, "carla", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    body = response.content.decode()
    assert "Signing in is locked" in body
    assert "30 minutes" in body
    assert "try again after" in body


def test_four_wrong_passwords_do_not_lock(make_user, client) -> None:
    make_user("carla")
    for _ in range(4):
        _sign_in(client, "carla", "wrong-password")
    response = _sign_in(client, "carla", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_failures_from_elsewhere_do_not_lock_the_user_out_at_her_own_address(make_user) -> None:
    """Anyone could otherwise lock a named colleague out with five wrong passwords."""
    make_user("carla")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(6):
        _sign_in(attacker, "carla", "wrong-password")
    assert _sign_in(attacker, "carla", PASSWORD).status_code == 429  # the pair is locked
    at_her_desk = Client(REMOTE_ADDR="10.1.2.3")
    assert _sign_in(at_her_desk, "carla", PASSWORD).status_code == 302
    assert _signed_in(at_her_desk)


@override_settings(LOCKOUT_USERNAME_FAILURE_LIMIT=12)
def test_the_username_alone_is_locked_after_many_failures_from_many_addresses(make_user) -> None:
    make_user("carla")
    for number in range(12):  # under five from each address: no pair reaches its limit
        _sign_in(Client(REMOTE_ADDR=f"10.0.{number // 3}.1"), "carla", "wrong-password")
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    response = _sign_in(elsewhere, "carla", PASSWORD)
    assert response.status_code == 429
    assert "for this username, from many network addresses" in response.content.decode()
    assert not _signed_in(elsewhere)


@override_settings(LOCKOUT_USERNAME_FAILURE_LIMIT=12)
def test_the_username_is_not_locked_below_its_own_limit(make_user) -> None:
    make_user("carla")
    for number in range(11):
        _sign_in(Client(REMOTE_ADDR=f"10.0.{number // 3}.1"), "carla", "wrong-password")
    assert _sign_in(Client(REMOTE_ADDR="10.9.9.9"), "carla", PASSWORD).status_code == 302


@override_settings(LOCKOUT_ADDRESS_FAILURE_LIMIT=8)
def test_a_spoofed_forwarded_for_header_does_not_reset_the_address_count(make_user, client) -> None:
    make_user("carla")
    # Eight different usernames from one address, each claiming to come from somewhere else.
    for number in range(8):
        _sign_in(
            client,
            f"guess{number}",
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = _sign_in(client, "carla", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert "from this network address." in response.content.decode()
    assert not _signed_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_limits_are_the_documented_defaults(settings) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOCKOUT_ADDRESS_FAILURE_LIMIT == 20
    assert settings.LOCKOUT_USERNAME_FAILURE_LIMIT == 50
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for variable, value in [
        ("AXES_FAILURE_LIMIT", 5),
        ("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20),
        ("LOCKOUT_USERNAME_FAILURE_LIMIT", 50),
    ]:
        assert f"| `{variable}` | `{value}` |" in readme


def test_each_lock_out_is_in_the_security_log_with_its_rule(make_user, client) -> None:
    make_user("carla")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    security = logging.getLogger("program.security")
    security.addHandler(handler)
    try:
        for _ in range(5):
            _sign_in(client, "carla", "wrong-password")
    finally:
        security.removeHandler(handler)
    lockouts = [r for r in records if getattr(r, "event", None) == "lockout"]
    assert len(lockouts) == 1
    assert lockouts[0].security["username"] == "carla"
    assert lockouts[0].security["locked_ip"] == "127.0.0.1"
    assert lockouts[0].security["rule"] == "user_and_address"


def test_forwarded_for_is_read_only_from_the_trusted_proxy_hop() -> None:
    factory = APIRequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"  # default: no proxy trusted
    with override_settings(AXES_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.9"  # what our one proxy saw, not the client's claim
    with override_settings(AXES_TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "10.0.0.1"  # fewer hops than proxies: not trusted


def test_a_lock_out_is_logged(make_user, client, caplog) -> None:
    make_user("carla")
    with caplog.at_level(logging.WARNING):
        for _ in range(6):
            _sign_in(client, "carla", "wrong-password")
    assert AccessFailureLog.objects.filter(username="carla", locked_out=True).exists()
    attempt = AccessAttempt.objects.get(username="carla")
    assert attempt.failures_since_start >= 5
    assert any("Sign-in locked" in record.getMessage() for record in caplog.records)


def test_the_api_token_sign_in_is_locked_too(make_user, client) -> None:
    """No token endpoint is routed today; DRF's own one authenticates through the same check."""
    make_user("carla")
    for _ in range(5):
        _sign_in(client, "carla", "wrong-password")
    request = Request(APIRequestFactory().post("/api/token/"))
    serializer = AuthTokenSerializer(
        data={"username": "carla", "password": PASSWORD}, context={"request": request}
    )
    assert not serializer.is_valid()


def test_a_demo_user_signs_in_with_the_demo_password(django_user_model, client) -> None:
    user = django_user_model.objects.create_user("caseworker")
    user.set_password(demo_password("caseworker"))
    user.save()
    response = _sign_in(client, "caseworker", demo_password("caseworker"))
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_clears_earlier_failures(make_user, client) -> None:
    make_user("carla")
    for _ in range(4):
        _sign_in(client, "carla", "wrong-password")
    _sign_in(client, "carla", PASSWORD)
    client.logout()
    for _ in range(4):
        _sign_in(client, "carla", "wrong-password")
    assert _sign_in(client, "carla", PASSWORD).status_code == 302


def test_the_administrator_sees_a_lock_out_and_clears_it(make_user, sysadmin) -> None:
    make_user("carla")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        _sign_in(attacker, "carla", "wrong-password")
    listing = sysadmin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Locks out now" in page
    assert "this user name from this address" in page
    assert "Unlock these user names (from every address)" in page

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    security = logging.getLogger("program.security")
    security.addHandler(handler)
    try:
        response = sysadmin.post(
            reverse("admin:axes_accessattempt_changelist"),
            {
                "action": "unlock_usernames",
                "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            },
        )
    finally:
        security.removeHandler(handler)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="carla").exists()
    cleared = [r for r in records if getattr(r, "event", None) == "lockout_cleared"]
    assert [(r.security["username"], r.security["actor"]) for r in cleared] == [("carla", "sys")]
    assert _sign_in(attacker, "carla", PASSWORD).status_code == 302


def test_the_administrator_unlocks_an_address(make_user, sysadmin) -> None:
    make_user("carla")
    for number in range(3):
        _sign_in(Client(REMOTE_ADDR="203.0.113.66"), f"guess{number}", "wrong-password")
    _sign_in(Client(REMOTE_ADDR="10.0.0.9"), "carla", "wrong-password")
    chosen = AccessAttempt.objects.filter(ip_address="203.0.113.66").values_list("pk", flat=True)
    sysadmin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_addresses", "_selected_action": list(chosen)[:1]},
    )
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.66").exists()
    assert AccessAttempt.objects.filter(ip_address="10.0.0.9").exists()
