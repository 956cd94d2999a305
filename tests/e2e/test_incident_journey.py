"""Incident journey: a host-facility officer, reading in Albanian, reports a use of force at
Gjilan naming a prisoner; the governor opens it from the home page's notification path (the
incidents list), reviews it and closes it."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from program.cells.models import Facility
from program.core.demo_users import demo_password
from program.core.models import UserPreferences
from program.host.models import StaffPosting
from program.incidents.models import AuthorityNotice, Incident

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo_password(username))
    # The sign-in page now carries the language switcher's buttons too: press the form's own.
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()


@pytest.fixture
def albanian(settings) -> None:
    # Albanian is the host roles' language (h19host adds it to LANGUAGES; kept here so this
    # journey runs on its own).
    if "sq" not in dict(settings.LANGUAGES):
        settings.LANGUAGES = [*settings.LANGUAGES, ("sq", "Albanian")]


def test_a_host_officer_reports_in_albanian_and_the_governor_reviews(
    page: Page, live_server, demo, albanian
) -> None:
    base = live_server.url
    officer = get_user_model().objects.get(username="host_officer")
    gjilan = Facility.objects.get(name="Gjilan prison")
    StaffPosting.objects.get_or_create(user=officer, defaults={"facility": gjilan})
    UserPreferences.objects.update_or_create(user=officer, defaults={"language": "sq"})

    _sign_in(page, base, "host_officer")
    page.goto(f"{base}/incidents/")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    page.get_by_test_id("incident-report").click()
    page.locator("#id_kind").select_option("use_of_force")
    page.locator("#id_occurred_on").fill("2026-12-01")
    page.locator("#id_occurred_time").fill("09:15")
    page.locator("#id_inmates_0").check()
    page.locator("#id_staff_involved").fill("Officer Berisha, unit A")
    page.locator("#id_description").fill("Escorted to his cell with an arm hold after refusing.")
    page.locator("#id_injuries").fill("none")
    page.locator("#id_actions_taken").fill("Duty manager called.")
    page.get_by_test_id("incident-submit").click()
    expect(page.get_by_test_id("incident-state")).to_be_visible()
    # Host staff do not read injuries back (health data).
    expect(page.get_by_test_id("incident-injuries")).to_have_count(0)
    incident = Incident.objects.filter(reported_by=officer).get()
    assert incident.people.count() == 1
    assert AuthorityNotice.objects.filter(incident=incident).exists()

    page.locator("[data-testid=signed-in-user] form button[type=submit]").click()
    _sign_in(page, base, "governor")
    # The device remembers the language chosen on it (the officer's Albanian); the governor
    # switches to English in the header.
    page.get_by_test_id("language-en").click()
    page.goto(f"{base}/incidents/?state=awaiting_review")
    page.get_by_test_id("incident-table").get_by_role("link", name=f"#{incident.pk}").click()
    expect(page.get_by_test_id("incident-injuries")).to_contain_text("none")
    page.get_by_test_id("incident-review-link").click()
    page.locator("#id_findings").fill("Force was necessary and proportionate.")
    page.locator("#id_follow_up").fill("Talk with the prisoner about visiting rules.")
    page.locator("#id_outcome_0").check()
    page.get_by_test_id("incident-action-submit").click()
    expect(page.get_by_test_id("incident-state")).to_have_text("Reviewed and closed")
    assert Incident.objects.get(pk=incident.pk).state == "closed"
