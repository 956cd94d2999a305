"""The fixed cost of every signed-in page, measured on the benchmark's floor: two queries (the
session, then the user with its roles, its second-factor device and its unread count), and one
more for a role with work queues (the header's queue counts, program.core.work_queues)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.floor import FLOOR_URL, install_floor, uninstall_floor
from program.core.request_user import LEGACY_BACKEND_PATH
from program.core.roles import Role
from program.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor() -> Iterator[str]:
    install_floor()
    yield FLOOR_URL
    uninstall_floor()


def _notify(user, n: int) -> None:
    for i in range(n):
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.OUTCOME_CHANGED,
            text=f"Note {i}",
            subject_type="transfer_case",
            subject_id=str(i),
        )


@pytest.mark.parametrize("unread", [0, 3])
def test_a_finance_officer_page_costs_two_queries(
    floor, make_user, django_assert_num_queries, unread
) -> None:
    user = make_user("frida", Role.FINANCE_OFFICER)  # sent notifications, has no work queue
    _notify(user, unread)
    client = Client()
    client.force_login(user)
    # 1 the session, 2 the user with its group names and unread count
    with django_assert_num_queries(2):
        response = client.get(floor)
    assert response.status_code == 200
    assert response.context["unread_notifications"] == unread
    if unread:
        assert f"{unread} unread notifications" in response.text


@pytest.mark.parametrize("unread", [0, 3])
def test_a_caseworker_page_costs_three_queries(
    floor, make_user, django_assert_num_queries, unread
) -> None:
    user = make_user("carla", Role.CASEWORKER)
    _notify(user, unread)
    client = Client()
    client.force_login(user)
    # 1 the session, 2 the user with its group names and unread count, 3 the header's work-queue
    # counts (the caseworker has "Cases needing my action"; the unread count is not taken again)
    with django_assert_num_queries(3):
        response = client.get(floor)
    assert response.status_code == 200
    assert response.context["unread_notifications"] == unread
    assert response.context["user_role_labels"] == ["Caseworker"]
    if unread:
        assert f"{unread} unread notifications" in response.text


def test_a_verified_session_gets_its_device_in_the_same_query(
    floor, make_user, django_assert_max_num_queries, settings
) -> None:
    settings.OTP_REQUIRED_FOR = "everyone"
    user = make_user("frida", Role.FINANCE_OFFICER)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # The finance officer has no work queue: 1 the session, 2 the user with its device
    with django_assert_max_num_queries(2):
        response = client.get(floor)
    assert response.status_code == 200  # not held at the verify page: the device counted
    verified: Any = response.wsgi_request.user
    assert verified.otp_device == device
    assert verified.otp_device.key == device.key


def test_a_device_of_someone_else_or_unconfirmed_does_not_verify(
    floor, make_user, settings
) -> None:
    settings.OTP_REQUIRED_FOR = "everyone"
    user = make_user("frida", Role.FINANCE_OFFICER)
    other = make_user("otto", Role.OCCUPANCY_ADMIN)
    theirs = TOTPDevice.objects.create(user=other, name="Theirs", confirmed=True)
    unconfirmed = TOTPDevice.objects.create(user=user, name="New", confirmed=False)
    for device in (theirs, unconfirmed):
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        response = client.get(floor)
        assert response.status_code == 302  # held at the second factor's page
        held: Any = response.wsgi_request.user
        assert held.otp_device is None
        assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_session_signed_in_under_the_old_backend_stays_signed_in(floor, make_user) -> None:
    user = make_user("carla", Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = LEGACY_BACKEND_PATH
    session.save()
    response = client.get(floor)
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert client.session[BACKEND_SESSION_KEY] == "program.core.request_user.RequestUserBackend"


def test_a_deactivated_user_is_signed_out(floor, make_user) -> None:
    user = make_user("carla", Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(floor)
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated
