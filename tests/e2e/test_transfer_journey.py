"""A caseworker carries an eligible candidate's case from identified to serving in the browser,
uploading each document the checklist asks for on the way; the occupancy administrator admits
the arriving person on the unit page in the middle. At every step from the booking on, the case
page and the unit page say the same thing about the person's place."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from program.core.demo_users import demo_password
from tests.factories import handover_ready
from transfers.models import Document, TransferCase

pytestmark = pytest.mark.e2e

CANDIDATE = "KF-2026-30022"  # the demo's eligible candidate left without a case
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sign_in(page: Page, base: str, user: str = "caseworker") -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(demo_password(user))
    page.get_by_role("button", name="Sign in").click()


def _agree(case_page: Page, unit_page: Page, case_url: str, unit_url: str, **want: str) -> None:
    """The case page and the unit page tell the same story of the person's place."""
    case_page.goto(case_url)
    expect(case_page.get_by_test_id("case-state")).to_contain_text(want["state"])
    expect(case_page.get_by_test_id("case-place")).to_contain_text(want["place"])
    expect(case_page.get_by_test_id("case-place")).to_contain_text(want["kind"])
    unit_page.goto(unit_url)
    tile = unit_page.locator(f'[data-testid="place-tile"][data-place="{want["place"]}"]')
    expect(tile).to_contain_text(want["tile"])


def _upload(page: Page, kind: str) -> None:
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("File (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_test_id(f"download-{kind}")).to_be_visible()


def _move(page: Page, to: str, label: str, *, button: str, **fields: str) -> None:
    """Press the move's button (named for what it does) and see the case land in `label`."""
    action = page.get_by_test_id(f"action-{to}")
    for field_label, value in fields.items():
        action.get_by_label(field_label).fill(value)
    action.get_by_role("button", name=button).click()
    expect(page.get_by_test_id("case-state")).to_contain_text(label)


def test_a_caseworker_carries_a_case_from_identified_to_serving(
    page: Page, browser: Browser, live_server, demo
) -> None:
    today = timezone.localdate()
    base = live_server.url
    _sign_in(page, base)

    # Plan the transport the case will be booked on.
    page.goto(f"{base}/cases/transports/")
    page.get_by_label("Departs on").fill(today.isoformat())
    page.get_by_label("Direction").select_option("dk_xk")
    page.get_by_label("Seats").fill("6")
    page.get_by_role("button", name="Plan").click()

    # Open the case and screen it.
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name="Open a case").click()
    page.get_by_label("Inmate's case number").fill(CANDIDATE)
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_test_id("case-state")).to_contain_text("Identified")
    page.get_by_role("button", name="Screen now").click()
    expect(page.get_by_test_id("case-state")).to_contain_text("Eligible")
    expect(page.get_by_test_id("eligibility-checklist")).to_contain_text("E12")

    # Proposing needs the judgment, the expulsion order and the medical fitness.
    proposing = page.get_by_test_id("action-proposed")
    proposing.get_by_role("button", name="Propose the transfer").click()
    expect(page.get_by_role("status")).to_contain_text("the document Judgment")
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        _upload(page, kind)
    _move(page, "proposed", "Proposed", button="Propose the transfer")
    _move(page, "host_review", "Host review", button="Send to the host for review")

    # The inmate is heard, the record of it uploaded, the decision recorded.
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
    _move(page, "decided_transfer", "Decided: transfer", button="Confirm the decision to transfer")

    # Notified long enough ago that the appeal window has closed.
    for kind in ("decision_letter", "notification_receipt"):
        _upload(page, kind)
    _move(
        page,
        "notified",
        "Notified",
        button="Record the notification",
        **{"Notified on": (today - timedelta(days=61)).isoformat(), "Language": "Tigrinya"},
    )
    page.get_by_test_id("action-scheduled").get_by_label("Transport").select_option(
        label=f"{today:%Y-%m-%d} Out to the host prison"
    )
    _move(page, "scheduled", "Scheduled", button="Book on a transport")

    case = TransferCase.objects.select_related("placement__place__cell").get(
        inmate__case_number=CANDIDATE
    )
    assert case.placement is not None
    place = f"{case.placement.place.cell.number}-{case.placement.place.number}"
    case_url = page.url
    unit_url = f"{base}/programme/units/{case.placement.place.cell.unit_id}/"

    # The occupancy administrator, in a browser of their own, signed in once.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    admin = context.new_page()
    admin.set_default_timeout(15_000)
    _sign_in(admin, base, "occupancy_admin")
    _agree(
        page,
        admin,
        case_url,
        unit_url,
        state="Scheduled",
        place=place,
        kind="Reservation",
        tile="Reserved",
    )

    # The transport leaves today with the manifest handed over, and the handover the escort
    # acknowledged (filled in with health staff; tests/handover walks its steps).
    _upload(page, "transport_manifest")
    handover_ready(case, case.caseworker)
    page.goto(case_url)
    expect(page.get_by_test_id("case-handover").get_by_test_id("handover-link")).to_have_attribute(
        "data-status", "escort"
    )
    _move(page, "in_transit", "In transit", button="Record the departure")
    _agree(
        page,
        admin,
        case_url,
        unit_url,
        state="In transit",
        place=place,
        kind="Reservation",
        tile="Reserved",
    )

    # On arrival the administrator admits the person to the reserved place on the unit page;
    # the case moves on to serving in the same step.
    tile = admin.locator(f'[data-testid="place-tile"][data-place="{place}"]')
    tile.get_by_role("link", name="Admit").click()
    form = admin.get_by_test_id("action-form")
    expect(form.get_by_label("Inmate's case number")).to_have_value(CANDIDATE)
    form.get_by_label("Reason").fill("Arrived on the transport")
    form.get_by_role("button").first.click()
    expect(admin.locator(f'[data-testid="place-tile"][data-place="{place}"]')).to_contain_text(
        "Occupied"
    )
    _agree(
        page,
        admin,
        case_url,
        unit_url,
        state="Serving",
        place=place,
        kind="Placement",
        tile="Occupied",
    )
    context.close()

    case.refresh_from_db()
    assert case.state == TransferCase.State.SERVING
    assert case.placement.kind == "placement"
    assert case.placement.period.lower == today
    assert Document.objects.filter(case=case).count() == 7
