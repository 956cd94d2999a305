"""Changing one's password: the project's rules apply, and the other sessions end; deactivating a
user ends all of theirs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from program.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("account:password-change")
NEW = "walrus ladder cinnamon umbrella"


def _sign_in(username: str) -> Client:
    """A session of its own (force_login: the log-in page is tested elsewhere, and each
    password check costs a second of hashing)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _change(client: Client, new: str, old: str = PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_page_is_linked_from_my_account_in_the_header(caseworker) -> None:
    body = caseworker.get(reverse("home")).content.decode()
    assert f'href="{reverse("account:overview")}"' in body
    account = caseworker.get(reverse("account:overview")).content.decode()
    assert f'href="{CHANGE}"' in account
    assert f'href="{reverse("account:second-factor")}"' in account


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(make_user) -> None:
    make_user("carla", Role.CASEWORKER)
    phone, desk = _sign_in("carla"), _sign_in("carla")
    bystander = make_user("otto", Role.OCCUPANCY_ADMIN)
    otto = Client()
    otto.force_login(bystander)
    phone_key = phone.cookies["sessionid"].value
    response = _change(desk, NEW)
    assert response.status_code == 302
    assert desk.get(reverse("home")).status_code == 200
    assert not Session.objects.filter(session_key=phone_key).exists()  # deleted, not just stale
    assert phone.get(reverse("home")).status_code == 302
    assert otto.get(reverse("home")).status_code == 200
    assert get_user_model().objects.get(username="carla").check_password(NEW)


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("short words", "at least 15 characters"),
        ("gjilan sunrise over the hills", "too close to this programme"),
        ("manchesterunited", "too common"),
    ],
)
def test_the_password_rules_apply(caseworker, new, reason) -> None:
    response = _change(caseworker, new)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_a_wrong_current_password_is_refused(caseworker) -> None:
    response = _change(caseworker, NEW, old="not the password at all")
    assert response.status_code == 400
    assert "old password was entered incorrectly" in response.content.decode()


def test_deactivating_a_user_ends_all_their_sessions(make_user, sysadmin) -> None:
    user = make_user("carla", Role.CASEWORKER)
    phone, desk = _sign_in("carla"), _sign_in("carla")
    keys = [phone.cookies["sessionid"].value, desk.cookies["sessionid"].value]
    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    user.is_active = True
    user.save()  # reactivated: the old sessions do not come back
    assert phone.get(reverse("home")).status_code == 302
    assert desk.get(reverse("home")).status_code == 302
