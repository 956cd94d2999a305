"""30 minutes idle, 12 hours in all, a new id on sign-in, and other sessions ended on demand."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from program.core.admin import ProgramUserAdmin
from program.core.roles import Role
from program.core.sessions import user_sessions_end
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_signing_in_gives_a_new_session_id(make_user, client) -> None:
    make_user("carla", Role.CASEWORKER)
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("login"), {"username": "carla", "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_thirty_minutes_idle_signs_out_with_a_message(make_user) -> None:
    make_user("carla", Role.CASEWORKER)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _sign_in("carla")
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # still active: clock restarts
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("session ended" in m for m in messages)


def test_twelve_hours_sign_out_even_when_active(make_user) -> None:
    make_user("carla", Role.CASEWORKER)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _sign_in("carla")
        for _ in range(12 * 3):  # a request every 20 minutes for twelve hours
            traveller.shift(timedelta(minutes=20))
            response = client.get(reverse("home"))
        assert response.status_code == 200
        traveller.shift(timedelta(minutes=20))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_expired_session_gets_401_from_the_api(make_user) -> None:
    make_user("carla", Role.CASEWORKER)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _sign_in("carla")
        assert client.get(reverse("api:me")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_a_password_change_ends_the_other_sessions_but_not_this_one(make_user) -> None:
    make_user("carla", Role.CASEWORKER)  # more in tests/auth/test_password_change.py
    other_device = _sign_in("carla")
    this_device = _sign_in("carla")
    new_password = "walrus ladder cinnamon umbrella"
    response = this_device.post(
        reverse("account:password-change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert this_device.get(reverse("home")).status_code == 200
    assert other_device.get(reverse("home")).status_code == 302


def test_ending_a_users_sessions_signs_out_every_device(make_user) -> None:
    user = make_user("carla", Role.CASEWORKER)
    phone, desk = _sign_in("carla"), _sign_in("carla")
    bystander = make_user("otto", Role.OCCUPANCY_ADMIN)
    otto = Client()
    otto.force_login(bystander)
    assert user_sessions_end(user=user) == 2
    assert phone.get(reverse("home")).status_code == 302
    assert desk.get(reverse("home")).status_code == 302
    assert otto.get(reverse("home")).status_code == 200


def test_the_user_admin_has_an_end_sessions_action(make_user, sysadmin) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    device = _sign_in("carla")
    response = sysadmin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_sessions", "_selected_action": [carla.pk]},
    )
    assert response.status_code == 302
    assert device.get(reverse("home")).status_code == 302
    assert "end_sessions" in ProgramUserAdmin.actions
    assert get_user_model().objects.filter(pk=carla.pk, is_active=True).exists()


@pytest.mark.django_db
def test_signing_out_ends_the_users_sessions_on_other_devices_too(make_user) -> None:
    from django.test import Client

    user = make_user("carla", "caseworker")
    laptop, tablet = Client(), Client()
    laptop.force_login(user)
    tablet.force_login(user)
    assert tablet.get(reverse("home")).status_code == 200
    laptop.post(reverse("logout"))
    response = tablet.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
