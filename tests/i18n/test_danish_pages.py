"""With Danish chosen, the sign-in page and the home page read in Danish."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def _in_danish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    return client


@pytest.mark.django_db
def test_the_sign_in_page_is_in_danish(client) -> None:
    body = _in_danish(client).get(reverse("login")).content.decode()
    assert '<html lang="da">' in body
    for danish in ("Log ind", "Brugernavn", "Adgangskode", "Lejede fængselspladser"):
        assert danish in body
    for english in ("Sign in", "Username", "Rented prison places"):
        assert english not in body


@pytest.mark.django_db
def test_the_home_page_is_in_danish(caseworker) -> None:
    body = _in_danish(caseworker).get(reverse("home")).content.decode()
    assert '<html lang="da">' in body
    for danish in (
        "Velkommen",
        "Du er logget ind som: Sagsbehandler",
        "Overførselssager",
        "Log ud",
    ):
        assert danish in body
    for english in ("Welcome", "Your sections", "Transfer cases", "Sign out"):
        assert english not in body
