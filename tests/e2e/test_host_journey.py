"""A host-facility officer, in Albanian (their default: they never chose), checks in an
arriving transport (one person refused at the gate, the others admitted into their reserved
places) and confirms the day's headcount."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from program.core.roles import Role
from tests.conftest import PASSWORD
from tests.host.conftest import on_the_way, post, site  # noqa: F401  (the fixture, reused)
from tests.transfers.conftest import programme, reference_data  # noqa: F401
from transfers.models import TransferCase

pytestmark = pytest.mark.e2e
S = TransferCase.State


@pytest.fixture
def arriving(transactional_db, site, settings):  # noqa: F811
    settings.ROLE_LANGUAGES_APPLY = True
    carla = User.objects.create_user("carla", first_name="Carla")
    carla.groups.add(Group.objects.get(name=Role.CASEWORKER))
    otto = User.objects.create_user("otto")
    otto.groups.add(Group.objects.get(name=Role.OCCUPANCY_ADMIN))
    officer = User.objects.create_user("arben", password=PASSWORD, first_name="Arben")
    officer.groups.add(Group.objects.get(name=Role.HOST_OFFICER))
    post(officer, site.facility)
    return on_the_way(carla, otto, site.places[:3])


def test_a_host_officer_checks_in_a_transport_and_confirms_the_headcount(
    page: Page, live_server, arriving
) -> None:
    refused, *admitted = arriving.cases
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("arben")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_text("Mbërritje për t'u pranuar")).to_be_visible()

    page.goto(f"{live_server.url}/host/arrivals/")
    page.get_by_test_id(f"check-in-{refused.pk}").click()
    page.get_by_label("Arsyeja e refuzimit të personit në portë").fill(
        "Nuk është personi në listën e udhëtarëve"
    )
    page.get_by_test_id("refuse").click()
    expect(page.get_by_text("është refuzuar në portë")).to_be_visible()

    for case in admitted:
        page.get_by_test_id(f"check-in-{case.pk}").click()
        page.get_by_label("E kam konfirmuar identitetin").check()
        page.get_by_label("Dokument identiteti ose udhëtimi").check()
        page.get_by_test_id("admit").click()
        expect(page.get_by_text("është pranuar në vendin")).to_be_visible()
    expect(page.get_by_test_id("checked-today").locator("tbody tr")).to_have_count(3)

    page.goto(f"{live_server.url}/host/headcount/")
    page.get_by_label("Numri i personave të numëruar të pranishëm").fill("2")
    page.get_by_test_id("confirm-headcount").click()
    expect(
        page.get_by_text("Numërimi u konfirmua për i gjithë institucioni: 2, si në listë.")
    ).to_be_visible()

    states = dict(TransferCase.objects.values_list("pk", "state"))
    assert states[refused.pk] == S.RETURNED
    assert {states[case.pk] for case in admitted} == {S.SERVING}
