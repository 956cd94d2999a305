"""Main journey: an occupancy administrator admits an inmate from the unit view and the
dashboard's numbers follow."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from program.cells import services
from program.core.roles import Role
from program.inmates.models import Inmate
from tests.factories import CellFactory, FacilityFactory, PlaceFactory, UnitFactory

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-staple"


def _inmate(case_number: str, name: str) -> Inmate:
    return Inmate.objects.create(
        case_number=case_number,
        name=name,
        date_of_birth=date(1988, 3, 14),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )


@pytest.fixture
def gjilan(transactional_db, django_user_model):
    facility = FacilityFactory(name="Gjilan prison", opens_on=date(2026, 4, 1))
    unit = UnitFactory(facility=facility, code="A", name="Unit A")
    first = PlaceFactory(cell=CellFactory(unit=unit, number="A-101"))
    PlaceFactory(cell=CellFactory(unit=unit, number="A-102"))
    services.placement_admit(
        inmate=_inmate("KF-1", "Karim Benali"),
        place=first,
        on=date(2026, 5, 4),
        reason="Transfer decision",
        actor=None,
    )
    _inmate("KF-2", "Youssef Tazi")
    admin = django_user_model.objects.create_user("otto", password=PASSWORD, first_name="Otto")
    admin.groups.add(Group.objects.get(name=Role.OCCUPANCY_ADMIN))
    return unit


def test_admitting_from_the_unit_view_changes_the_dashboard(
    page: Page, live_server, gjilan
) -> None:
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("otto")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_test_id("main-navigation").get_by_role("link", name="Occupancy").click()
    expect(page.get_by_test_id("occupied-total")).to_have_text("1")

    page.get_by_role("link", name="A Unit A").click()
    free = page.locator('[data-testid="place-tile"][data-place="A-102-1"]')
    expect(free).to_contain_text("Free")
    free.get_by_role("link", name="Admit").click()

    form = page.get_by_test_id("action-form")
    form.get_by_label("Inmate's case number").fill("KF-2")
    form.get_by_label("Admitted on").fill(timezone.localdate().isoformat())
    form.get_by_label("Reason").fill("Transfer decision of the Prison and Probation Service")
    form.get_by_role("button").first.click()

    tile = page.locator('[data-testid="place-tile"][data-place="A-102-1"]')
    expect(tile).to_contain_text("Occupied")
    expect(tile.get_by_test_id("initials")).to_have_text("YT")
    expect(tile).not_to_contain_text("Youssef")  # the grid shows initials, never names

    page.get_by_test_id("main-navigation").get_by_role("link", name="Occupancy").click()
    expect(page.get_by_test_id("occupied-total")).to_have_text("2")


def test_a_refused_admission_says_why_and_changes_nothing(page: Page, live_server, gjilan) -> None:
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("otto")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/programme/units/{gjilan.pk}/")
    page.locator('[data-testid="place-tile"][data-place="A-102-1"]').get_by_role(
        "link", name="Admit"
    ).click()
    form = page.get_by_test_id("action-form")
    form.get_by_label("Inmate's case number").fill("KF-1")  # already placed in A-101
    form.get_by_label("Admitted on").fill(timezone.localdate().isoformat())
    form.get_by_label("Reason").fill("Second placement")
    form.get_by_role("button").first.click()
    expect(page.get_by_test_id("action-error")).to_contain_text("already")
    expect(page.locator('[data-testid="place-tile"][data-place="A-102-1"]')).to_contain_text("Free")


def test_an_admission_clicked_before_htmx_has_loaded_lands_by_the_full_page_form(
    page: Page, live_server, gjilan
) -> None:
    """The unit grid's actions are links that htmx turns into in-page dialogs once it has
    processed the page. Clicked before that (a slow phone, a busy machine), Admit is an ordinary
    link: the full-page form, then a reload of the unit with the page's message, never the
    grid's in-page `action-message`. That was the 390 px journey's flake: it clicked as soon as
    the tile showed, sometimes before htmx had loaded. The journey now waits for the load;
    here the script never comes, and the admission must still land and say so."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.route("**/htmx.min.js", lambda route: route.abort())
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("otto")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/programme/units/{gjilan.pk}/")
    page.locator('[data-testid="place-tile"][data-place="A-102-1"]').get_by_role(
        "link", name="Admit"
    ).click()
    expect(page).to_have_url(re.compile(r"/admit/"))  # the full page, not a dialog
    form = page.get_by_test_id("action-form")
    form.get_by_label("Inmate's case number").fill("KF-2")
    form.get_by_label("Admitted on").fill(timezone.localdate().isoformat())
    form.get_by_label("Reason").fill("Transfer decision of the Prison and Probation Service")
    form.get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(rf"/programme/units/{gjilan.pk}/"))
    expect(page.locator(".app-messages")).to_contain_text("A-102-1")
    expect(page.get_by_test_id("action-message")).to_have_count(0)
    tile = page.locator('[data-testid="place-tile"][data-place="A-102-1"]')
    expect(tile).to_contain_text("Occupied")


def test_the_admission_form_has_the_focus_before_anyone_can_type_in_it(
    page: Page, live_server, gjilan
) -> None:
    """htmx puts the cursor in a swapped-in form's `autofocus` field when the swap settles. With
    htmx's default 20 ms settle delay that came after the form was on screen, so typing begun in
    another of its fields in between lost the focus and the rest of the text to the first field:
    the desk journey's flake ("Arrived on the trKF-2026-30017" in the case-number field, the
    reason typed into the form just swapped in). The pages settle at once (`defaultSettleDelay`
    0 in base.html), so the focus is placed in the same task as the swap, before any key press
    can be handled. The second half is the control: with a settle delay put back, the typing is
    torn between the two fields as it was."""
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("otto")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    unit_url = f"{base}/programme/units/{gjilan.pk}/"
    admit = page.locator('[data-testid="place-tile"][data-place="A-102-1"]').get_by_role(
        "link", name="Admit"
    )
    case_number = page.get_by_test_id("action-form").get_by_label("Inmate's case number")
    reason = page.get_by_test_id("action-form").get_by_label("Reason")

    page.goto(unit_url, wait_until="load")
    # Where the focus is at the first task after the swap: the earliest a key press is handled.
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterSwap", () => setTimeout(() => {
             window.focusAfterSwap = document.activeElement.id; }, 0), {once: true})"""
    )
    admit.click()
    page.wait_for_function("() => window.focusAfterSwap !== undefined")
    assert page.evaluate("() => window.focusAfterSwap") == case_number.get_attribute("id")

    page.goto(unit_url, wait_until="load")
    page.evaluate("() => { htmx.config.defaultSettleDelay = 300; }")
    admit.click()
    reason.click()
    page.keyboard.type("Arrived on the transport", delay=40)
    expect(case_number).not_to_have_value("")
    assert reason.input_value() != "Arrived on the transport"
