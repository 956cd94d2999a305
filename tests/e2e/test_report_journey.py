"""Programme report journey: a caseworker opens the 2026 report from the navigation, picks a
quarter, reads a figure with its definition, and opens the cases behind it; a finance officer
reads the same numbers but is offered no cases."""

import pytest
from playwright.sync_api import Page, expect

from program.core.demo_users import demo_password

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo_password(username))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()


def test_a_caseworker_reads_a_quarter_and_the_cases_behind_a_figure(
    page: Page, live_server, demo
) -> None:
    base = live_server.url
    _sign_in(page, base, "caseworker")
    page.get_by_test_id("main-navigation").get_by_role("link", name="Programme report").click()
    page.get_by_label("Period", exact=True).select_option("2026-Q3")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("report-scope")).to_contain_text("Q3 2026")
    figure = page.get_by_test_id("figure-carried_out")
    expect(figure).to_contain_text("Definition:")
    expect(page.get_by_test_id("chart-cases")).to_be_visible()
    page.get_by_test_id("cases-carried_out").click()
    rows = page.get_by_test_id("figure-cases").locator("tbody tr")
    expect(rows.first).to_contain_text("KF-")
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfers carried out")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "finance_officer")
    page.get_by_test_id("main-navigation").get_by_role("link", name="Programme report").click()
    expect(page.get_by_test_id("figure-cost")).to_contain_text("Cost per occupied place-day")
    expect(page.get_by_test_id("cases-carried_out")).to_have_count(0)
