"""Main journey: a demo user signs in and finds their role's sections.

The demo is loaded once for the three users who sign in (each in a browser of their own), since a
demo load costs more than the walks it serves; the refused sign-in needs no demo at all.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from program.core.demo_users import demo_password
from tests.e2e.conftest import browser_page

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_demo_users_sign_in_and_find_their_own_sections(
    browser: Browser, live_server, demo
) -> None:
    with browser_page(browser) as page:
        _the_caseworker_sees_the_caseworker_navigation(page, live_server)
    with browser_page(browser) as page:
        _the_finance_officer_sees_the_terms_of_the_demo_agreement(page, live_server)
    with browser_page(browser, width=768, height=1024) as page:
        _the_layout_works_on_a_tablet(page, live_server)


def _the_caseworker_sees_the_caseworker_navigation(page: Page, live_server) -> None:
    _sign_in(page, live_server.url, "caseworker", demo_password("caseworker"))
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("Caseworker")
    nav = page.get_by_test_id("main-navigation")
    expect(nav.get_by_role("link", name="Programmes")).to_be_visible()
    expect(nav.get_by_role("link", name="Facilities")).to_be_visible()
    expect(nav.get_by_role("link", name="Finance")).to_have_count(0)
    # One panel per programme; the demo's first is Gjilan.
    expect(page.get_by_test_id("panel-places").first).to_contain_text("300 places")

    nav.get_by_role("link", name="Facilities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilities")
    page.get_by_role("link", name="Gjilan prison").click()
    expect(page.get_by_test_id("facility-capacity")).to_contain_text("300")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_with_a_message(page: Page, live_server) -> None:
    _sign_in(page, live_server.url, "caseworker", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("You were not signed in")
    expect(page.get_by_test_id("main-navigation")).to_have_count(0)


def _the_finance_officer_sees_the_terms_of_the_demo_agreement(page: Page, live_server) -> None:
    _sign_in(page, live_server.url, "finance_officer", demo_password("finance_officer"))
    nav = page.get_by_test_id("main-navigation")
    expect(nav.get_by_role("link", name="Facilities")).to_have_count(0)
    nav.get_by_role("link", name="Finance").click()
    page.get_by_role("link", name="Pricing terms").first.click()
    expect(page.get_by_test_id("term-totals")).to_contain_text("EUR 215,000,000.00")


def _the_layout_works_on_a_tablet(page: Page, live_server) -> None:
    _sign_in(page, live_server.url, "occupancy_admin", demo_password("occupancy_admin"))
    nav = page.get_by_test_id("main-navigation")
    expect(nav.get_by_role("link", name="System status")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, f"the page scrolls sideways on a tablet ({width}px wide)"
