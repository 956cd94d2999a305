"""Inspection journey: a CPT finding becomes a release condition of a tranche and holds back its
approval until the action promised on it is done.

The finance officer makes the finding a condition of the overdue October rent and invoices it;
the approver tries to approve and is refused with a message naming the finding and its open
action; the governor marks the action done with its evidence; the approver, as the second
person, signs the condition off, and the approval goes through."""

import pytest
from playwright.sync_api import Page, expect

from finance.models import Tranche
from program.core.demo_users import demo_password
from program.inspections.models import Finding

pytestmark = pytest.mark.e2e

FINDING = "Too little time out of cell in unit C"
ACTION = "Daily activity plan of eight hours for unit C"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo_password(username))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_finding_holds_back_a_tranche_until_its_action_is_done(
    page: Page, live_server, demo
) -> None:
    base = live_server.url
    tranche = Tranche.objects.get(stream="rent", due_on="2026-10-01", status="overdue")
    finding = Finding.objects.get(title=FINDING)
    tranche_url = f"{base}/finance/tranches/{tranche.pk}/"

    _sign_in(page, base, "finance_officer")
    page.goto(tranche_url)
    link = page.get_by_test_id("condition-finding")
    link.get_by_label("Inspection finding").select_option(str(finding.pk))
    link.get_by_role("button", name="Make it a condition").click()
    condition = page.get_by_test_id("condition-inspection_closed")
    expect(condition).to_contain_text(FINDING)
    expect(condition).to_contain_text(ACTION)
    invoice = page.get_by_test_id("action-invoice")
    invoice.get_by_label("Invoice reference").fill("XK-RENT-2026-10")
    invoice.get_by_label("Invoice date").fill("2026-10-03")
    invoice.get_by_label("Invoiced amount (EUR)").fill("3750000.00")
    invoice.get_by_role("button", name="Put forward for approval").click()
    expect(page.get_by_test_id("status-invoiced")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "finance_approver")
    page.goto(tranche_url)
    approve = page.get_by_test_id("action-approve")
    approve.get_by_label("Approval comment").fill("Checked")
    approve.get_by_role("button", name="Approve").click()
    refusal = page.get_by_test_id("action-error")
    expect(refusal).to_contain_text("cannot be approved before its conditions are met")
    expect(refusal).to_contain_text(FINDING)
    expect(refusal).to_contain_text(ACTION)
    expect(page.get_by_test_id("status-invoiced")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "governor")
    page.get_by_test_id("main-navigation").get_by_role("link", name="Inspections").click()
    page.get_by_test_id("inspection-table").locator("tr", has_text="(CPT)").get_by_role(
        "link"
    ).click()
    page.get_by_test_id("finding-table").get_by_role("link", name=FINDING).click()
    row = page.get_by_test_id("actions").locator("li", has_text=ACTION)
    row.get_by_text("Update the action").click()
    row.get_by_label("Status").select_option("done")
    row.get_by_label("Done on").fill("2026-11-30")
    row.get_by_label("Evidence that it is done").fill("Activity plan seen by the governor")
    row.get_by_role("button", name="Save the update").click()
    expect(page.get_by_role("status")).to_contain_text("is now done")
    expect(page.get_by_test_id("finding-status")).to_have_text("Closed")
    _sign_out(page)

    _sign_in(page, base, "finance_approver")
    page.goto(tranche_url)
    page.get_by_test_id("sign-off-inspection_closed").click()
    expect(page.get_by_role("status")).to_contain_text("signed off and met")
    approve = page.get_by_test_id("action-approve")
    approve.get_by_label("Approval comment").fill("Finding closed; checked")
    approve.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("pprov")
    expect(page.get_by_test_id("approvals")).to_contain_text("Finding closed; checked")
