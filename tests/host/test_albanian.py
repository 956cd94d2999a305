"""Albanian for the host facility's staff: their default language when they never chose one,
and every string their pages show (the base layout, the navigation, the sign-in and error pages
and the messages of their actions included) translated in the Albanian catalogue.

The catalogue test records every message the templates and code look up while the pages render
(gettext, ngettext and pgettext all pass through DjangoTranslation) and asks the Albanian
translation Django loads (locale/sq/LC_MESSAGES/django.mo over Django's own catalogue) for each:
a message missing there would reach the officer in English.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from program.core.models import UserPreferences
from program.host import services
from tests.conftest import PASSWORD
from tests.host.conftest import on_the_way

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
HOST_DEFAULT = {"host_officer": "sq", "host_manager": "sq"}


@pytest.fixture
def host_default(settings) -> None:
    """The production rule (the suite reads English unless a test chooses)."""
    settings.ROLE_LANGUAGES_APPLY = True


def _sign_in(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response


def test_a_host_officer_who_never_chose_reads_albanian(make_user, site, host_default) -> None:
    make_user("besa", "host_officer")
    client, response = _sign_in("besa")
    assert response.cookies[COOKIE].value == "sq"
    assert client.get(reverse("home"))["Content-Language"] == "sq"


def test_a_saved_language_wins_over_the_host_default(make_user, host_default) -> None:
    besa = make_user("besa", "host_manager")
    UserPreferences.objects.create(user=besa, language="en")
    _client, response = _sign_in("besa")
    assert response.cookies[COOKIE].value == "en"


def test_someone_with_another_role_as_well_keeps_the_device_language(
    make_user, host_default
) -> None:
    make_user("besa", "host_officer", "occupancy_admin")
    client = Client()
    client.cookies[COOKIE] = "da"
    response = client.post(reverse("login"), {"username": "besa", "password": PASSWORD})
    assert COOKIE not in response.cookies
    assert client.get(reverse("home"))["Content-Language"] == "da"


# --- Every string on the host pages is in the Albanian catalogue ---------------------------------


class Recorder:
    def __init__(self) -> None:
        self.singular: set[str] = set()
        self.plural: set[tuple[str, str]] = set()
        self.on = False  # only while the pages are walked, not while the data is made


@pytest.fixture
def looked_up(monkeypatch) -> Recorder:
    recorder = Recorder()
    gettext = trans_real.DjangoTranslation.gettext
    ngettext = trans_real.DjangoTranslation.ngettext

    def recording_gettext(self, message):
        if recorder.on and self.language() == "sq":
            recorder.singular.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, n):
        if recorder.on and self.language() == "sq":
            recorder.plural.add((singular, plural))
        return ngettext(self, singular, plural, n)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", recording_ngettext)
    return recorder


def _in_albanian(client: Client) -> Client:
    client.cookies[COOKIE] = "sq"
    return client


def _walk_the_host_pages(officer: Client, manager: Client, transport, site) -> None:
    arriving, refused = transport.cases[0], transport.cases[1]
    pages = [
        (officer, "get", reverse("home"), {}),
        (officer, "get", reverse("host:roll"), {}),
        (officer, "get", reverse("host:arrivals"), {}),
        (officer, "get", reverse("host:check-in", args=[arriving.pk]), {}),
        # The refusals a form gives: nothing confirmed, no reason.
        (officer, "post", reverse("host:check-in", args=[arriving.pk]), {"remarks": ""}),
        (officer, "post", reverse("host:refuse", args=[refused.pk]), {"refuse-reason": ""}),
        (
            officer,
            "post",
            reverse("host:check-in", args=[arriving.pk]),
            {"identity_confirmed": "on", "items": ["clothing"]},
        ),
        (
            officer,
            "post",
            reverse("host:refuse", args=[refused.pk]),
            {"refuse-reason": "Not the person on the manifest"},
        ),
        (officer, "get", reverse("host:arrivals"), {}),
        (officer, "get", reverse("host:headcount"), {}),
        (officer, "post", reverse("host:headcount"), {"unit": "", "counted": "7", "reason": ""}),
        (officer, "post", reverse("host:headcount"), {"unit": "", "counted": "abc"}),
        (
            officer,
            "post",
            reverse("host:headcount"),
            {"unit": str(site.units[0].pk), "counted": "0", "reason": "Moved to unit B"},
        ),
        (officer, "post", reverse("host:headcount"), {"unit": "", "counted": "1", "reason": ""}),
        (officer, "get", reverse("host:headcount"), {}),
        (officer, "get", reverse("host:overview"), {}),  # the 403 page
        (officer, "get", "/host/no-such-page/", {}),  # the 404 page
        (manager, "get", reverse("host:overview"), {}),
        (manager, "get", reverse("home"), {}),
        (_in_albanian(Client()), "get", reverse("login"), {}),
        (_in_albanian(Client()), "post", reverse("login"), {"username": "x", "password": "y"}),
    ]
    for client, method, url, data in pages:
        response = getattr(client, method)(url, data, follow=True)
        assert response.status_code < 500, url
        assert response["Content-Language"] == "sq", url


def test_every_string_on_the_host_pages_has_an_albanian_translation(
    host_officer, arben, host_manager, drita, carla, otto, site, looked_up
) -> None:
    transport = on_the_way(carla, otto, site.places[:3])
    services.arrival_admit(
        case_id=transport.cases[2].pk, identity_confirmed=True, items=(), remarks="", actor=arben
    )
    looked_up.on = True
    _walk_the_host_pages(_in_albanian(host_officer), _in_albanian(host_manager), transport, site)
    looked_up.on = False
    catalogue = trans_real.translation("sq")._catalog
    missing = sorted(
        message for message in looked_up.singular if message and not catalogue.get(message)
    ) + sorted(
        f"{singular} | {plural}"
        for singular, plural in looked_up.plural
        if not catalogue.get((singular, 0))
    )
    assert len(looked_up.singular) > 100  # the walk rendered real pages
    assert missing == [], f"{len(missing)} strings without Albanian:\n" + "\n".join(missing)


def test_the_production_default_gives_the_host_roles_albanian() -> None:
    script = (
        "from django.conf import settings; from program.core.roles import ROLE_LANGUAGES; "
        "print(settings.ROLE_LANGUAGES_APPLY, ROLE_LANGUAGES)"
    )
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_ENV": "development"}
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert shown.stdout.splitlines()[-1:] == [f"True {HOST_DEFAULT}"], shown.stderr


def test_the_check_finds_an_untranslated_string(looked_up, client) -> None:
    # The control: a message no catalogue has is reported.
    looked_up.on = True
    with translation.override("sq"):
        translation.gettext("A sentence no catalogue holds, zq-control")
    catalogue = trans_real.translation("sq")._catalog
    assert "A sentence no catalogue holds, zq-control" in looked_up.singular
    assert not catalogue.get("A sentence no catalogue holds, zq-control")
