"""The second factor: enrolment with a real code, verification, lock-out on wrong codes, who must
have it (administrators always, everyone in production), the API's refusal and the admin reset."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from program.core.roles import Role
from tests.auth.totp import code_for
from tests.conftest import PASSWORD
from tests.core.test_settings import PRODUCTION, _run

pytestmark = pytest.mark.django_db

ENROL = reverse("account:second-factor-enrol")
VERIFY = reverse("account:second-factor-verify")


def _sign_in(username: str) -> Client:
    """Through the log-in page, with the password."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _session(username: str) -> Client:
    """A new signed-in session without the page (force_login sends the same signal as log-in;
    it spares the second of password hashing where the page is not what is tested)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _shown_secret(body: str) -> str:
    match = re.search(r'data-testid="second-factor-secret">([A-Z2-7 ]+)<', body)
    assert match, "the set-up page shows the key"
    return match.group(1)


def _enrolled(username: str) -> tuple[Client, str]:
    """Sign in, set up the app from the key on the page, and return the client and the key."""
    client = _session(username)
    secret = _shown_secret(client.get(ENROL).content.decode())
    response = client.post(ENROL, {"otp_token": code_for(secret)})
    assert response.status_code == 302
    return client, secret


def test_an_administrator_without_a_device_is_sent_to_set_one_up_and_finishes_it(
    make_user,
) -> None:
    admin = make_user("root", superuser=True)
    client = _sign_in("root")
    response = client.get(reverse("inmates:list"))
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=/inmates/"

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body  # the QR code, inline, from no other host
    secret = _shown_secret(body)
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed

    wrong = client.post(ENROL, {"otp_token": "000000" if code_for(secret) != "000000" else "1"})
    assert wrong.status_code in (400, 429)
    assert client.get("/admin/").status_code == 302  # still not through

    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        done = client.post(ENROL, {"otp_token": code_for(secret), "next": "/admin/"})
        assert done.status_code == 302
        assert done["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_next_sign_in_asks_for_the_code_and_a_used_code_is_refused(make_user) -> None:
    make_user("root", superuser=True)
    _first, secret = _enrolled("root")
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        client = _sign_in("root")
        response = client.get(reverse("home"))
        assert response["Location"] == f"{VERIFY}?next=/"
        code = code_for(secret)
        assert client.post(VERIFY, {"otp_token": code}).status_code == 302
        assert client.get(reverse("home")).status_code == 200
        # The same code in another session: already used, refused (TOTP replay).
        again = _session("root")
        assert again.post(VERIFY, {"otp_token": code}).status_code == 400
        assert again.get(reverse("home")).status_code == 302


def test_enrolment_is_refused_to_a_session_that_owes_the_existing_devices_code(make_user) -> None:
    make_user("root", superuser=True)
    _enrolled("root")
    intruder = _session("root")  # the password alone
    response = intruder.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user__username="root").count() == 1


def test_wrong_codes_count_towards_the_lock_out(make_user, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_user("root", superuser=True)
    _first, secret = _enrolled("root")
    now = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(now, tick=False) as traveller:
        client = _sign_in("root")
        wrong = str((int(code_for(secret)) + 1) % 1_000_000).zfill(6)
        for attempt in range(2):
            response = client.post(VERIFY, {"otp_token": wrong})
            assert response.status_code == 400, attempt
            traveller.shift(timedelta(seconds=5))  # past django-otp's own back-off
        assert AccessAttempt.objects.get(username="root").failures_since_start == 2
        # Signing in again with the password does not clear the count of wrong codes.
        client = _sign_in("root")
        response = client.post(VERIFY, {"otp_token": wrong})
        assert response.status_code == 429
        assert "Signing in is locked" in response.content.decode()
        assert "_auth_user_id" not in client.session
        # Locked: the right password is refused, and so is the right code.
        retry = Client()
        refused = retry.post(reverse("login"), {"username": "root", "password": PASSWORD})
        assert refused.status_code == 429


def test_a_right_code_clears_the_failures_after_the_whole_sign_in(make_user) -> None:
    make_user("root", superuser=True)
    _first, secret = _enrolled("root")
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False) as traveller:
        client = _sign_in("root")
        client.post(VERIFY, {"otp_token": "12345x"})  # malformed: a typo, not counted
        client.post(VERIFY, {"otp_token": str((int(code_for(secret)) + 7) % 1_000_000).zfill(6)})
        assert AccessAttempt.objects.filter(username="root").exists()
        traveller.shift(timedelta(seconds=35))
        assert client.post(VERIFY, {"otp_token": code_for(secret)}).status_code == 302
    assert not AccessAttempt.objects.filter(username="root").exists()


def test_other_roles_need_no_code_in_development_or_test(make_user, settings) -> None:
    assert settings.OTP_REQUIRED_FOR == "administrators"
    make_user("carla", Role.CASEWORKER)
    client = _sign_in("carla")
    assert client.get(reverse("home")).status_code == 200


def test_everyone_needs_it_when_the_setting_says_everyone(make_user, settings) -> None:
    settings.OTP_REQUIRED_FOR = "everyone"
    make_user("carla", Role.CASEWORKER)
    client = _session("carla")
    response = client.get(reverse("inmates:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    error = api.json()["error"]
    assert error["code"] == "second_factor_required"
    assert ENROL in error["message"]


def test_production_requires_it_of_everyone_and_refuses_less() -> None:
    script = "from django.conf import settings as s; print(s.OTP_REQUIRED_FOR)"
    result = _run(PRODUCTION, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "everyone"
    refused = _run({**PRODUCTION, "OTP_REQUIRED_FOR": "administrators"}, "check")
    assert refused.returncode != 0
    assert "OTP_REQUIRED_FOR must be everyone" in refused.stderr


def test_the_api_refuses_an_unverified_administrator_session(make_user) -> None:
    make_user("root", superuser=True)
    client = _session("root")
    response = client.get(reverse("api:me"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"
    assert "second factor" in response.json()["error"]["message"]


def test_a_user_who_set_one_up_must_use_it_though_not_required(make_user) -> None:
    make_user("carla", Role.CASEWORKER)
    _client, _secret = _enrolled("carla")
    later = _session("carla")
    assert later.get(reverse("home"))["Location"].startswith(VERIFY)


def test_removing_needs_the_password_and_replacing_starts_a_new_set_up(make_user) -> None:
    make_user("root", superuser=True)
    client, _secret = _enrolled("root")
    manage = reverse("account:second-factor")
    wrong = client.post(manage, {"action": "remove", "password": "not my password"})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user__username="root", confirmed=True).exists()
    response = client.post(manage, {"action": "replace", "password": PASSWORD})
    assert response["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user__username="root").exists()
    assert client.get(reverse("home"))["Location"].startswith(ENROL)  # must set up again


def test_the_system_administrator_resets_a_users_device(make_user, sysadmin) -> None:
    make_user("carla", Role.CASEWORKER)
    carla, _secret = _enrolled("carla")
    user = get_user_model().objects.get(username="carla")
    response = sysadmin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert carla.get(reverse("home")).status_code == 302  # signed out everywhere
    assert _session("carla").get(reverse("home")).status_code == 200  # not required of her


def test_the_sysadmin_persona_is_verified(sysadmin) -> None:
    assert sysadmin.get("/admin/").status_code == 200
    assert sysadmin.get(reverse("api:me")).status_code == 200
