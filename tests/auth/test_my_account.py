"""My account: one page, linked from every page's header, with the user's name and roles, e-mail
address, language, password, second factor and API tokens, each with the way to change it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from program.core.roles import Role
from tests.api_tokens import token_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("account:overview")
EMAIL = reverse("account:email-change")


@pytest.mark.parametrize(
    "who", ["caseworker", "occupancy_admin", "finance_officer", "auditor", "stranger"]
)
def test_every_signed_in_user_reaches_my_account_from_the_header(persona, who) -> None:
    client = persona(who)
    assert f'href="{ACCOUNT}"' in client.get(reverse("home")).content.decode()
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    body = page.content.decode()
    for target in ("account:email-change", "account:password-change", "account:second-factor"):
        assert f'href="{reverse(target)}"' in body
    assert f'href="{reverse("account:tokens")}"' in body
    assert 'data-testid="language-switch"' in body


def test_my_account_says_where_notifications_go_and_how_many_tokens_work(caseworker) -> None:
    carla = User.objects.get(username="carla")
    body = caseworker.get(ACCOUNT).content.decode()
    assert "never e-mailed" in body
    assert "Caseworker" in body
    token_for(carla, name="One")
    token_for(carla, name="Two")
    carla.email = "carla@kriminalforsorgen.dk"
    carla.save()
    body = caseworker.get(ACCOUNT).content.decode()
    assert "carla@kriminalforsorgen.dk" in body
    assert "You have 2 API tokens that work." in body


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(ACCOUNT)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_e_mail_address_is_changed_with_the_password_asked_again(make_user) -> None:
    user = make_user("carla", Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    response = client.post(EMAIL, {"email": "Carla@Kriminalforsorgen.DK", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    user.refresh_from_db()
    assert user.email == "Carla@kriminalforsorgen.dk"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", PASSWORD, "Enter a valid email address"),
        ("carla@example.dk", "wrong password", "That is not your password"),
        ("", PASSWORD, "This field is required"),
    ],
)
def test_a_bad_e_mail_change_is_a_400_naming_the_field_and_changes_nothing(
    make_user, email, password, message
) -> None:
    user = make_user("carla", Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    response = client.post(EMAIL, {"email": email, "password": password})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-summary"' in body
    assert message in body
    user.refresh_from_db()
    assert user.email == ""


def test_an_e_mail_change_is_a_security_event_without_the_address(make_user, caplog) -> None:
    import logging

    user = make_user("carla", Role.CASEWORKER)
    client = Client()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="program.security"):
        client.post(EMAIL, {"email": "carla@example.dk", "password": PASSWORD})
    events = [r for r in caplog.records if getattr(r, "event", "") == "email_changed"]
    assert len(events) == 1
    assert "carla@example.dk" not in str(events[0].__dict__)
