"""The four everyday journeys, replayed as a new user would make them, on the demo programme.

One demo load per screen width: the caseworker finds an inmate and carries a new case to a
transfer decision; the occupancy administrator admits a person whose arrival is overdue, from
the home page's work queue, and exports the roll; the finance officer puts a tranche forward,
two approvers find it on their home page and approve it, and the officer pays it; the auditor,
by keyboard only, finds who looked at the person by the case number typed in small letters.
Each role keeps its own browser context (its sign-in) for the whole run.

At 1280 px (a desk) and at 390 px (a phone): the same steps, by label and role, never by layout.
"""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

from finance import conf
from program.core.demo_users import demo_password

pytestmark = pytest.mark.e2e
# A busy test machine answers an admission or a move in seconds, not milliseconds.
expect.set_options(timeout=20_000)

CANDIDATE = "KF-2026-30022"  # the demo's eligible candidate left without a case
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WIDTHS = {"desk": (1280, 800), "phone": (390, 844)}


class Roles:
    """One signed-in browser context per demo user, made when first needed."""

    def __init__(self, browser: Browser, base: str, size: tuple[int, int]) -> None:
        self.browser, self.base, self.size = browser, base, size
        self.contexts: dict[str, BrowserContext] = {}
        self.pages: dict[str, Page] = {}
        # Content-Security-Policy refusals the browser reports in its console, per user: an
        # inline style or script that the policy blocked (the journeys must cause none).
        self.csp_reports: dict[str, list[str]] = {}

    def page(self, username: str, *, keyboard: bool = False) -> Page:
        if username not in self.pages:
            width, height = self.size
            context = self.browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(15_000)
            reports = self.csp_reports.setdefault(username, [])

            def on_console(message: ConsoleMessage, reports: list[str] = reports) -> None:
                if message.type == "error" and "Content Security Policy" in message.text:
                    reports.append(f"{message.text} ({message.location.get('url', '')})")

            page.on("console", on_console)
            page.goto(f"{self.base}/login/")
            if keyboard:
                _sign_in_by_keyboard(page, username)
            else:
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(demo_password(username))
                page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_test_id("signed-in-user")).to_be_visible()
            self.contexts[username], self.pages[username] = context, page
        return self.pages[username]

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def _focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def _tab_to(page: Page, locator: Locator, *, limit: int = 120) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(locator):
            return
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def _sign_in_by_keyboard(page: Page, username: str) -> None:
    _tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(demo_password(username))
    page.keyboard.press("Enter")


def _nav(page: Page, name: str) -> Locator:
    return page.get_by_test_id("main-navigation").get_by_role("link", name=name)


def _upload(page: Page, kind: str) -> None:
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("File (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_test_id(f"download-{kind}")).to_be_visible()


def _press(page: Page, to: str, button: str, lands_in: str) -> None:
    page.get_by_test_id(f"action-{to}").get_by_role("button", name=button).click()
    expect(page.get_by_test_id("case-state")).to_contain_text(lands_in)


def caseworker_journey(roles: Roles, today: date) -> None:
    """From finding the inmate in the registry to the decision to transfer."""
    page = roles.page("caseworker")
    _nav(page, "Inmates").click()
    page.get_by_label("Name or case number").fill(CANDIDATE.lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_role("row").filter(has_text=CANDIDATE).get_by_role("link").first.click()
    # The record holds conviction data: the caseworker says why before it opens (once).
    page.get_by_label("Purpose").select_option("case work")
    page.get_by_role("button", name="Open the record").click()

    # The person's page offers the case; the case page leads back to the person.
    page.get_by_role("button", name="Open a transfer case").click()
    expect(page.get_by_test_id("case-state")).to_contain_text("Identified")
    expect(page.get_by_test_id("case-state")).to_contain_text("Caseworker: Demo Caseworker")
    page.get_by_test_id("inmate-link").click()
    expect(page.get_by_test_id("transfer-case-link")).to_be_visible()
    page.get_by_test_id("transfer-case-link").click()

    page.get_by_role("button", name="Screen now").click()
    expect(page.get_by_test_id("case-state")).to_contain_text("Eligible")
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        _upload(page, kind)
    _press(page, "proposed", "Propose the transfer", "Proposed")
    _press(page, "host_review", "Send to the host for review", "Host review")

    page.get_by_label("Stance").select_option("objects")
    page.get_by_label("Heard on").fill(today.isoformat())
    page.locator("#id_language").fill("Tigrinya")
    page.get_by_role("button", name="Record the opinion").click()
    _upload(page, "opinion_record")
    page.get_by_label("Outcome").select_option("transfer")
    page.get_by_label("Deciding authority").fill("Kriminalforsorgen")
    page.get_by_label("Legal basis").fill("Straffuldbyrdelsesloven § 78 a")
    page.get_by_label("Decided on").fill(today.isoformat())
    page.get_by_role("button", name="Record the decision").click()
    _press(page, "decided_transfer", "Confirm the decision to transfer", "Decided: transfer")
    # The timeline speaks in words, never in state codes.
    expect(page.get_by_test_id("timeline")).to_contain_text("Host review → Decided: transfer")
    expect(page.get_by_test_id("timeline")).not_to_contain_text("host_review")
    # The next step is named for what it does.
    expect(page.get_by_test_id("action-notified").get_by_role("button")).to_have_text(
        "Record the notification"
    )


def occupancy_journey(roles: Roles) -> None:
    """From the home page's overdue arrivals to the admission, and the day's roll exported."""
    page = roles.page("occupancy_admin")
    page.goto(f"{roles.base}/")
    overdue = page.get_by_test_id("queue-overdue_reservations")
    # The demo's overdue reservations (how many depends on the demo day): the home page's queue
    # and the navigation's count agree, and there is at least the one this journey admits.
    expect(overdue.get_by_test_id("queue-count")).to_have_text(re.compile(r"^[1-9][0-9]*$"))
    count = overdue.get_by_test_id("queue-count").inner_text()
    expect(_nav(page, "Occupancy").get_by_test_id("nav-count")).to_contain_text(count)
    overdue.get_by_role("link").first.click()
    # The unit grid's actions are htmx links: until htmx has processed the page (its deferred
    # script runs, then it binds the links when the document has loaded) an Admit is an
    # ordinary link to the full-page form, whose answer is a reload with the page's message,
    # not the grid's. A fast hand can do that too, and it works; this journey is about the
    # in-page admission, so it waits for the page to have loaded, as the eye does.
    page.wait_for_url(re.compile(r"/units/\d+/"), wait_until="load")

    occupied = page.get_by_test_id("legend-occupied").locator("strong")
    before = int(occupied.inner_text())
    tile = page.locator('[data-testid="place-tile"]').filter(
        has=page.get_by_test_id("arrival-overdue")
    )
    place = tile.first.get_attribute("data-place")
    tile.first.get_by_role("link", name="Admit").click()
    # The form opens with the cursor in its first field, the reservation's case number filled
    # in (the pages settle htmx swaps at once, so the focus is there before any typing: see
    # test_occupancy_journey's focus test and docs/accessibility.md).
    form = page.get_by_test_id("action-form")
    expect(form.get_by_label("Inmate's case number")).to_be_focused()
    expect(form.get_by_label("Inmate's case number")).not_to_have_value("")
    form.get_by_label("Reason").fill("Arrived on the transport")
    form.get_by_role("button").first.click()
    expect(page.get_by_test_id("action-message")).to_be_visible()
    # The counts follow the admission without a reload.
    expect(page.get_by_test_id("legend-occupied").locator("strong")).to_have_text(str(before + 1))
    page.goto(f"{roles.base}/")
    expect(page.get_by_test_id("queue-overdue_reservations")).not_to_contain_text(f"{place}")

    _nav(page, "Occupancy").click()
    with page.expect_download() as download:
        page.get_by_test_id("roll-csv-link").click()
    roll = download.value
    assert roll.suggested_filename.endswith(".csv")
    cell, number = str(place).rsplit("-", 1)
    with open(roll.path(), encoding="utf-8-sig") as csv:
        # The admitted person is on the day's roll, in the place they were admitted to.
        row = next(line for line in csv if line.startswith(f"A,{cell},{number},"))
    assert row.rstrip().endswith("Occupied")


def finance_journey(roles: Roles) -> None:
    """Officer puts the overdue tranche forward; each approver finds it on the home page."""
    officer = roles.page("finance_officer")
    _nav(officer, "Finance").click()
    officer.get_by_role("link", name="Payment schedule").first.click()
    officer.get_by_label("Status").select_option("overdue")
    officer.get_by_role("button", name="Filter").click()
    officer.get_by_test_id("schedule").get_by_role("link", name="2026-10-01").click()
    tranche_url = officer.url
    invoice = officer.get_by_test_id("action-invoice")
    invoice.get_by_label("Invoice reference").fill("XK-RENT-2026-10")
    invoice.get_by_label("Invoice date").fill("2026-10-03")
    invoice.get_by_label("Invoiced amount (EUR)").fill("3750000.00")
    invoice.get_by_role("button", name="Put forward for approval").click()
    expect(officer.get_by_test_id("status-invoiced")).to_be_visible()

    for approver in ["finance_approver", "finance_approver2"][: conf.approval_levels()]:
        page = roles.page(approver)
        page.goto(f"{roles.base}/")
        expect(_nav(page, "Finance").get_by_test_id("nav-count")).to_contain_text("1")
        expect(page.get_by_test_id("unread-notifications")).to_be_visible()
        waiting = page.get_by_test_id("queue-tranches_awaiting_my_approval")
        expect(waiting.get_by_test_id("queue-count")).to_have_text("1")
        waiting.get_by_role("link", name="2026-Q4 rent").click()
        approve = page.get_by_test_id("action-approve")
        approve.get_by_label("Approval comment").fill(f"Checked by {approver}")
        approve.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status")).to_contain_text("pprov")
        # Approved once: no second Approve for the same person.
        expect(page.get_by_test_id("action-approve")).to_have_count(0)
        page.goto(f"{roles.base}/")
        expect(page.get_by_test_id("queue-tranches_awaiting_my_approval")).to_contain_text(
            "No tranche waits for your approval."
        )

    officer.goto(tranche_url)
    expect(officer.get_by_test_id("status-approved")).to_be_visible()
    pay = officer.get_by_test_id("action-pay")
    pay.get_by_label("Bank reference").fill("DK-RENT-20261010")
    pay.get_by_label("Paid on").fill("2026-10-10")
    pay.get_by_label("Paid amount (EUR)").fill("3750000.00")
    pay.get_by_label("EUR→DKK rate that day").fill("7.4600")
    pay.get_by_role("button", name="Record payment").click()
    expect(officer.get_by_test_id("status-paid")).to_be_visible()
    _nav(officer, "Finance").click()
    expect(officer.get_by_test_id("chart-axis")).to_contain_text("EUR 0")


def auditor_journey(roles: Roles) -> None:
    """By keyboard only: who looked at the person, found by case number in small letters."""
    page = roles.page("auditor", keyboard=True)
    _tab_to(page, _nav(page, "Access log"))
    page.keyboard.press("Enter")
    field = page.get_by_label("Case number or name")
    _tab_to(page, field)
    page.keyboard.type(CANDIDATE.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("access-log-people")).to_contain_text(CANDIDATE)
    table = page.get_by_test_id("access-log-table")
    expect(table).to_contain_text("caseworker")
    expect(table).to_contain_text("Viewed a record")


@pytest.fixture
def roles_at(browser: Browser, live_server, demo, request) -> Iterator[Roles]:
    roles = Roles(browser, live_server.url, WIDTHS[request.param])
    yield roles
    roles.close()


@pytest.mark.parametrize("roles_at", list(WIDTHS), indirect=True)
def test_the_four_journeys(roles_at: Roles) -> None:
    from django.utils import timezone

    caseworker_journey(roles_at, timezone.localdate())
    occupancy_journey(roles_at)
    finance_journey(roles_at)
    auditor_journey(roles_at)
    reports = {user: found for user, found in roles_at.csp_reports.items() if found}
    print(f"\nCSP reports in the console: {sum(len(r) for r in reports.values())}")
    assert reports == {}, reports
