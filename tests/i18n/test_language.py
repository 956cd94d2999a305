"""Which language a page and the API answer in, the switch in the header, and the user's saved
language: the cookie first, then the user's saved language, then the configured default; the
API asks Accept-Language first and keeps its data locale-free."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from program.core import views
from program.core.models import UserPreferences
from program.core.selectors import user_language, user_languages
from tests.conftest import PASSWORD
from tests.finance.helpers import due, first_rent, scheduled

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
ROOT = Path(__file__).resolve().parents[2]


def _switch(client: Client, language: str, next_url: str = "/") -> Any:
    return client.post(reverse("language"), {"language": language, "next": next_url})


def _lang(response: Any) -> str:
    return response["Content-Language"]


# --- The default --------------------------------------------------------------------------------


def test_danish_is_the_default_outside_the_test_suite_and_configurable() -> None:
    script = (
        "from django.conf import settings; "
        "print(settings.LANGUAGE_CODE, [c for c, n in settings.LANGUAGES])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "LANGUAGE_CODE"}}
    env["DJANGO_ENV"] = "development"
    default = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert default.stdout.splitlines()[-1:] == ["da ['da', 'en', 'sq']"], default.stderr
    chosen = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**env, "LANGUAGE_CODE": "en", "LANGUAGES": "da,en,sq"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert chosen.stdout.splitlines()[-1:] == ["en ['da', 'en', 'sq']"], chosen.stderr


def test_without_a_cookie_or_a_saved_language_the_page_is_in_the_configured_default(
    client, settings
) -> None:
    settings.LANGUAGE_CODE = "da"
    response = client.get(reverse("login"))
    assert _lang(response) == "da"
    assert '<html lang="da">' in response.content.decode()


def test_the_cookie_decides_and_the_browser_language_does_not(client, settings) -> None:
    settings.LANGUAGE_CODE = "da"
    client.cookies[COOKIE] = "en"
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="da")) == "en"
    del client.cookies[COOKIE]
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")) == "da"


def test_a_cookie_naming_a_language_not_offered_is_ignored(client, settings) -> None:
    settings.LANGUAGE_CODE = "da"
    client.cookies[COOKIE] = "fr"
    assert _lang(client.get(reverse("login"))) == "da"


# --- The switch ---------------------------------------------------------------------------------


def test_the_switch_is_on_the_sign_in_page_and_sets_only_the_cookie_there(client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert 'data-testid="language-switch"' in page
    assert 'name="language" value="da"' in page
    response = _switch(client, "da", reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response.cookies[COOKIE].value == "da"
    assert response.cookies[COOKIE]["httponly"]
    assert _lang(client.get(reverse("login"))) == "da"
    assert not UserPreferences.objects.exists()


def test_the_switch_saves_the_signed_in_users_language_and_sets_the_cookie(
    caseworker, django_user_model
) -> None:
    response = _switch(caseworker, "da", reverse("transfers:worklist"))
    assert response["Location"] == reverse("transfers:worklist")
    assert response.cookies[COOKIE].value == "da"
    carla = django_user_model.objects.get(username="carla")
    assert user_language(user_id=carla.pk) == "da"
    page = caseworker.get(reverse("transfers:worklist"))
    assert _lang(page) == "da"
    # The current language is named, not offered as a button; the other one is.
    body = page.content.decode()
    assert 'aria-current="true">dansk<' in body
    assert 'name="language" value="en"' in body
    _switch(caseworker, "en")
    assert user_language(user_id=carla.pk) == "en"
    assert UserPreferences.objects.filter(user=carla).count() == 1


def test_a_language_not_offered_changes_nothing_and_says_which_are(caseworker) -> None:
    response = _switch(caseworker, "fr")
    assert COOKIE not in response.cookies
    assert not UserPreferences.objects.exists()
    page = caseworker.get(response["Location"]).content.decode()
    # Albanian ("sq") is offered since the host-facility staff read it (docs/i18n.md).
    assert "Choose one of the languages offered: da, en, sq." in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "home", ""])
def test_the_switch_goes_back_only_to_a_path_on_this_site(client, next_url) -> None:
    response = _switch(client, "en", next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_switch_is_refused_as_a_get(client) -> None:
    assert client.get(reverse("language"), {"language": "en"}).status_code == 405


def test_a_session_that_owes_its_second_factor_may_switch_but_saves_nothing(
    make_user, django_user_model
) -> None:
    make_user("sys", superuser=True)  # administrators always owe a second factor
    client = Client()
    client.post(reverse("login"), {"username": "sys", "password": PASSWORD})
    response = _switch(client, "da", reverse("account:second-factor-enrol"))
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "da"
    assert not UserPreferences.objects.exists()


# --- Sign-in ---------------------------------------------------------------------------------


def test_at_sign_in_the_saved_language_is_written_to_the_cookie(make_user) -> None:
    carla = make_user("carla", "caseworker")
    UserPreferences.objects.create(user=carla, language="da")
    client = Client()
    client.cookies[COOKIE] = "en"  # the shared workstation's last reader
    response = client.post(reverse("login"), {"username": "carla", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "da"
    assert _lang(client.get(reverse("home"))) == "da"


def test_without_a_cookie_the_signed_in_users_saved_language_decides(make_user) -> None:
    carla = make_user("carla", "caseworker")
    UserPreferences.objects.create(user=carla, language="da")
    client = Client()
    client.post(reverse("login"), {"username": "carla", "password": PASSWORD})
    del client.cookies[COOKIE]  # a browser that drops it, or a new tab policy
    assert _lang(client.get(reverse("home"))) == "da"


def test_a_user_who_never_chose_keeps_the_language_the_device_shows(make_user) -> None:
    make_user("carla", "caseworker")
    client = Client()
    client.cookies[COOKIE] = "da"
    response = client.post(reverse("login"), {"username": "carla", "password": PASSWORD})
    assert COOKIE not in response.cookies
    assert _lang(client.get(reverse("home"))) == "da"


def test_user_languages_gives_the_default_to_who_never_chose(make_user, settings) -> None:
    settings.LANGUAGE_CODE = "da"
    chose, never = make_user("a"), make_user("b")
    UserPreferences.objects.create(user=chose, language="en")
    assert user_languages(user_ids=[chose.pk, never.pk]) == {chose.pk: "en", never.pk: "da"}


# --- Error pages -----------------------------------------------------------------------------


def test_the_403_and_404_pages_have_the_switch_and_the_language(caseworker) -> None:
    caseworker.cookies[COOKIE] = "da"
    refused = caseworker.get(reverse("finance:dashboard"))
    missing = caseworker.get("/no-such-page/")
    for response, status in ((refused, 403), (missing, 404)):
        assert response.status_code == status
        body = response.content.decode()
        assert '<html lang="da">' in body
        assert 'data-testid="language-switch"' in body


def test_the_500_and_503_pages_have_the_switch_and_the_language_without_the_database() -> None:
    from django.db import OperationalError
    from django.utils import translation

    request = RequestFactory().get("/cases/")
    with translation.override("da"):
        broken = views.server_error(request)
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            unavailable = views.server_error(request)
    assert (broken.status_code, unavailable.status_code) == (500, 503)
    for response in (broken, unavailable):
        body = response.content.decode()
        assert '<html lang="da">' in body
        assert 'data-testid="language-switch"' in body
        assert 'name="csrfmiddlewaretoken"' in body
        assert 'name="next" value="/cases/"' in body


# --- The API ---------------------------------------------------------------------------------


def test_the_api_follows_accept_language_for_its_own_and_drfs_messages(client) -> None:
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="da, en;q=0.5")
    assert response.status_code == 401
    assert _lang(response) == "da"
    assert (
        response.json()["error"]["message"] == "Legitimation til autentificering blev ikke angivet."
    )
    english = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert english.json()["error"]["message"] == "Authentication credentials were not provided."


def test_the_api_data_stays_iso_dates_and_decimal_points_in_danish(finance_officer) -> None:
    tranche = due(first_rent(scheduled()))
    finance_officer.cookies[COOKIE] = "da"
    read = finance_officer.get(
        reverse("api:tranche-detail", args=[tranche.pk]), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert _lang(read) == "da"
    data = read.json()
    assert data["amount"] == "3750000.00"
    assert data["due_on"] == tranche.due_on.isoformat()

    def invoice(amount: str):
        return finance_officer.post(
            reverse("api:tranche-invoice", args=[tranche.pk]),
            {"invoice_reference": "KOS-1", "invoiced_on": "2026-04-02", "amount": amount},
            content_type="application/json",
            HTTP_IF_MATCH=read["ETag"],
            HTTP_ACCEPT_LANGUAGE="da",
        )

    # A Danish-written number is not a number to the API: it says so, in Danish.
    refused = invoice("3.750.000,00")
    assert refused.status_code == 400
    assert "Et gyldigt tal er påkrævet." in refused.json()["error"]["message"]
    done = invoice("3750000.00")
    assert done.status_code == 200, done.json()
    assert done.json()["invoiced_on"] == "2026-04-02"
    assert Decimal(done.json()["amount"]) == Decimal("3750000.00")


def test_a_system_administrator_sees_and_sets_a_users_language_in_the_admin(
    sysadmin, make_user
) -> None:
    carla = make_user("carla", "caseworker")
    listing = sysadmin.get(reverse("admin:core_userpreferences_changelist"))
    assert listing.status_code == 200
    response = sysadmin.post(
        reverse("admin:core_userpreferences_add"), {"user": carla.pk, "language": "da"}
    )
    assert response.status_code == 302
    assert user_language(user_id=carla.pk) == "da"
    refused = sysadmin.post(
        reverse("admin:core_userpreferences_add"), {"user": carla.pk, "language": "xx"}
    )
    assert refused.status_code == 200  # the form again: not an offered language


def test_switching_before_sign_in_makes_no_session(client) -> None:
    response = _switch(client, "da", reverse("login"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
