"""Finance journey: an officer invoices a tranche, different approvers approve it, the officer
records the payment, and the dashboard's paid total moves."""

import pytest
from playwright.sync_api import Page, expect

from finance import conf
from program.core.demo_users import demo_password

pytestmark = pytest.mark.e2e

# The demo has paid the April and July rent and aid (EUR 2 × 3.75 m + 2 × 1.5 m) in 2026; the
# October rent tranche is overdue. Paying it adds EUR 3.75 m.
PAID_2026_BEFORE = "EUR 10,500,000.00"
PAID_2026_AFTER = "EUR 14,250,000.00"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo_password(username))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_officer_invoices_approvers_approve_officer_pays_and_the_paid_total_moves(
    page: Page, live_server, demo
) -> None:
    base = live_server.url
    _sign_in(page, base, "finance_officer")
    page.get_by_test_id("main-navigation").get_by_role("link", name="Finance").click()
    expect(page.get_by_test_id("paid-2026")).to_have_text(PAID_2026_BEFORE)

    page.get_by_role("link", name="Payment schedule").first.click()
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    page.get_by_test_id("schedule").get_by_role("link", name="2026-10-01").click()
    tranche_url = page.url
    expect(page.get_by_test_id("status-overdue")).to_be_visible()

    # An invoice that does not match is refused with the difference, and nothing changes.
    invoice = page.get_by_test_id("action-invoice")
    invoice.get_by_label("Invoice reference").fill("XK-RENT-2026-10")
    invoice.get_by_label("Invoice date").fill("2026-10-03")
    invoice.get_by_label("Invoiced amount (EUR)").fill("3700000.00")
    invoice.get_by_role("button", name="Put forward for approval").click()
    alert = page.get_by_test_id("action-error")
    expect(alert).to_contain_text("Nothing was changed")
    expect(alert).to_contain_text("differs by EUR 50,000.00")
    expect(page.get_by_test_id("status-overdue")).to_be_visible()

    invoice = page.get_by_test_id("action-invoice")
    expect(invoice.get_by_label("Invoice reference")).to_have_value("XK-RENT-2026-10")
    invoice.get_by_label("Invoiced amount (EUR)").fill("3750000.00")
    invoice.get_by_role("button", name="Put forward for approval").click()
    expect(page.get_by_test_id("status-invoiced")).to_be_visible()
    expect(page.get_by_test_id("action-approve")).to_have_count(0)  # not for the preparer
    _sign_out(page)

    approvers = ["finance_approver", "finance_approver2"][: conf.approval_levels()]
    for approver in approvers:
        _sign_in(page, base, approver)
        page.goto(tranche_url)
        approve = page.get_by_test_id("action-approve")
        approve.get_by_label("Approval comment").fill(f"Checked by {approver}")
        approve.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status")).to_contain_text("pprov")
        _sign_out(page)
    _sign_in(page, base, "finance_officer")
    page.goto(tranche_url)
    expect(page.get_by_test_id("status-approved")).to_be_visible()
    expect(page.get_by_test_id("approvals")).to_contain_text("Checked by finance_approver")

    pay = page.get_by_test_id("action-pay")
    pay.get_by_label("Bank reference").fill("DK-RENT-20261010")
    pay.get_by_label("Paid on").fill("2026-10-10")
    pay.get_by_label("Paid amount (EUR)").fill("3750000.00")
    pay.get_by_label("EUR→DKK rate that day").fill("7.4600")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.get_by_test_id("status-paid")).to_be_visible()
    expect(page.get_by_test_id("payment")).to_contain_text("DKK 27,975,000.00")

    page.get_by_test_id("main-navigation").get_by_role("link", name="Finance").click()
    expect(page.get_by_test_id("paid-2026")).to_have_text(PAID_2026_AFTER)
