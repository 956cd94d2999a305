"""A caseworker carries an eligible candidate's case from identified to scheduled in the browser,
uploading each document the checklist asks for on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from program.core.demo_users import demo_password
from transfers.models import Document, TransferCase

pytestmark = pytest.mark.e2e

CANDIDATE = "KF-2026-30022"  # the demo's eligible candidate left without a case
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(demo_password("caseworker"))
    page.get_by_role("button", name="Sign in").click()


def _upload(page: Page, kind: str) -> None:
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("File (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_test_id(f"download-{kind}")).to_be_visible()


def _move(page: Page, to: str, label: str, **fields: str) -> None:
    action = page.get_by_test_id(f"action-{to}")
    for field_label, value in fields.items():
        action.get_by_label(field_label).fill(value)
    action.get_by_role("button", name=label).click()
    expect(page.get_by_test_id("case-state")).to_contain_text(label)


def test_a_caseworker_carries_a_case_from_identified_to_scheduled(
    page: Page, live_server, demo
) -> None:
    today = timezone.localdate()
    base = live_server.url
    _sign_in(page, base)

    # Plan the transport the case will be booked on.
    page.goto(f"{base}/cases/transports/")
    page.get_by_label("Departs on").fill((today + timedelta(days=21)).isoformat())
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
    page.get_by_test_id("action-proposed").get_by_role("button", name="Proposed").click()
    expect(page.get_by_role("status")).to_contain_text("Upload first")
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        _upload(page, kind)
    _move(page, "proposed", "Proposed")
    _move(page, "host_review", "Host review")

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
    _move(page, "decided_transfer", "Decided: transfer")

    # Notified long enough ago that the appeal window has closed.
    for kind in ("decision_letter", "notification_receipt"):
        _upload(page, kind)
    _move(
        page,
        "notified",
        "Notified",
        **{"Notified on": (today - timedelta(days=61)).isoformat(), "Language": "Tigrinya"},
    )
    _move(page, "scheduled", "Scheduled")

    case = TransferCase.objects.get(inmate__case_number=CANDIDATE)
    assert case.state == TransferCase.State.SCHEDULED
    assert case.placement is not None
    assert case.placement.kind == "reservation"
    assert Document.objects.filter(case=case).count() == 6
