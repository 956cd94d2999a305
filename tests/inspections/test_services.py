"""Recording inspections, findings and actions: who may, what is refused, the status a finding
takes from its actions, and the write history."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from program.audit.history import EVENT_MODELS
from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.core.roles import Role
from program.inspections import services
from program.inspections.models import Finding, FindingAction, finding_status
from tests.factories import CellFactory, FacilityFactory, UnitFactory
from tests.inmates.factories import InmateFactory
from tests.inspections.helpers import action, body, done, finding, inspection, person

pytestmark = pytest.mark.django_db

S = FindingAction.Status


def test_a_finding_takes_its_status_from_its_actions() -> None:
    assert finding_status([]) == Finding.Status.NO_ACTIONS
    assert finding_status([S.OPEN, S.OPEN]) == Finding.Status.OPEN
    assert finding_status([S.OPEN, S.IN_PROGRESS]) == Finding.Status.IN_PROGRESS
    assert finding_status([S.OPEN, S.DONE]) == Finding.Status.IN_PROGRESS
    assert finding_status([S.DONE, S.DONE]) == Finding.Status.CLOSED
    assert finding_status([S.DONE, S.NOT_ACCEPTED]) == Finding.Status.CLOSED_NOT_ACCEPTED


def test_only_the_governor_or_an_occupancy_administrator_records_an_inspection() -> None:
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR, Role.HOST_MANAGER):
        with pytest.raises(ApplicationError, match="governor or an occupancy administrator"):
            services.inspection_record(
                body=body(),
                facility=FacilityFactory(),
                kind="announced",
                starts_on=date(2026, 9, 1),
                ends_on=date(2026, 9, 2),
                actor=person(f"someone-{role}", role),
            )
    recorded = services.inspection_record(
        body=body(),
        facility=FacilityFactory(),
        kind="unannounced",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 2),
        actor=person("otto", Role.OCCUPANCY_ADMIN),
    )
    assert recorded.recorded_by.username == "otto"


def test_days_out_of_order_and_a_report_that_is_no_document_are_refused() -> None:
    with pytest.raises(ApplicationError, match="before its first day"):
        inspection(starts_on=date(2026, 9, 5), ends_on=date(2026, 9, 4))
    with pytest.raises(ApplicationError, match="published before the visit"):
        inspection(published_on=date(2026, 9, 1))
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError, match="Only PDF, PNG and JPEG") as refused:
        inspection(report=fake)
    assert "report" in refused.value.details


def test_a_report_is_stored_with_its_sniffed_type() -> None:
    report = SimpleUploadedFile("x.bin", b"%PDF-1.4\n%test\n", content_type="text/plain")
    recorded = inspection(report=report, published_on=date(2026, 10, 1))
    assert recorded.report_content_type == "application/pdf"
    assert recorded.report.name


def test_a_finding_links_only_to_what_is_at_the_inspected_facility() -> None:
    visit = inspection()
    elsewhere = UnitFactory()
    with pytest.raises(ApplicationError, match="not at the inspected facility"):
        services.finding_record(
            inspection=visit,
            title="Unit elsewhere",
            text="…",
            severity="low",
            concerns="unit",
            unit=elsewhere,
            actor=person("gunnar"),
        )
    cell = CellFactory(unit=UnitFactory(facility=visit.facility))
    about_cell = services.finding_record(
        inspection=visit,
        title="Window",
        text="Cannot be opened",
        severity="medium",
        concerns="cell",
        cell=cell,
        actor=person("gunnar"),
    )
    assert about_cell.cell == cell
    someone = InmateFactory()
    about_person = services.finding_record(
        inspection=visit,
        title="No interpreter",
        text="Heard without an interpreter",
        severity="high",
        concerns="person",
        person=someone,
        actor=person("gunnar"),
    )
    assert about_person.person == someone
    with pytest.raises(ApplicationError, match="Describe the practice"):
        services.finding_record(
            inspection=visit,
            title="x",
            text="y",
            severity="low",
            concerns="practice",
            actor=person("gunnar"),
        )


def test_an_action_is_done_only_with_evidence_and_its_day_and_then_is_final() -> None:
    row = action(finding())
    with pytest.raises(ApplicationError, match="Give the day"):
        services.action_update(action=row, status="done", evidence="x", actor=person("gunnar"))
    with pytest.raises(ApplicationError, match="what shows the action is done"):
        services.action_update(
            action=row, status="done", done_on=date(2026, 10, 1), actor=person("gunnar")
        )
    with pytest.raises(ApplicationError, match="why the action is not accepted"):
        services.action_update(action=row, status="not_accepted", actor=person("gunnar"))
    moved = done(row)
    assert moved.decided_by is not None
    assert (moved.status, moved.decided_by.username, moved.version) == ("done", "gunnar", 2)
    with pytest.raises(ConflictError, match="already done"):
        services.action_update(action=row, status="open", actor=person("gunnar"))


def test_a_stale_version_is_refused() -> None:
    row = action(finding())
    services.action_update(action=row, status="in_progress", actor=person("gunnar"))
    with pytest.raises(PreconditionFailedError):
        services.action_update(
            action=row, status="open", expected_version=1, actor=person("gunnar")
        )


def test_every_write_is_in_the_history() -> None:
    row = action(finding())
    done(row)
    assert EVENT_MODELS["inspections.Inspection"].objects.count() == 1
    assert EVENT_MODELS["inspections.Finding"].objects.count() == 1
    changes = EVENT_MODELS["inspections.FindingAction"].objects.filter(pgh_obj_id=row.pk)
    assert sorted(changes.values_list("status", flat=True)) == ["done", "open"]
