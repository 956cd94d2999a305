"""Five wrong passwords lock a username (and an address) for 30 minutes; headers do not help."""

import logging

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


def test_the_username_is_locked_from_every_address(make_user) -> None:
    make_user("carla")
    for number in range(5):
        _sign_in(Client(REMOTE_ADDR=f"10.0.0.{number}"), "carla", "wrong-password")
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert _sign_in(elsewhere, "carla", PASSWORD).status_code == 429
    assert not _signed_in(elsewhere)


def test_a_spoofed_forwarded_for_header_does_not_reset_the_address_count(make_user, client) -> None:
    make_user("carla")
    # Five different usernames from one address, each claiming to come from somewhere else.
    for number in range(5):
        _sign_in(
            client,
            f"guess{number}",
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = _sign_in(client, "carla", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert not _signed_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


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
