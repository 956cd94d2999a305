"""A small programme with real rows of every kind, so hostile requests reach real objects."""

import importlib
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance import services as finance_services
from finance.models import Tranche
from program.cells import services as cell_services
from program.cells.models import RampUpCap
from program.complaints import services as complaint_services
from program.complaints.models import Authority, DeadlineRule, Kind
from program.core.roles import Role
from program.handover.models import Handover
from program.incidents import services as incident_services
from program.inmates.models import Country, NonAssociation
from tests.factories import CellFactory, FacilityFactory, PlaceFactory
from tests.finance.helpers import approved, invoiced, scheduled
from tests.finance.helpers import user as finance_user
from tests.inmates.factories import (
    ExpulsionOrderFactory,
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
)
from tests.transfers.factories import TransferCaseFactory, case_in
from tests.visits.walk_args import hostile_rows as visit_rows
from transfers import services as transfer_services
from transfers.models import ManifestEntry, TransferCase


@dataclass(frozen=True)
class Programme:
    """The ids of one row of each kind, by the name the API and page routes use for them."""

    agreement: int
    ramp_up: int
    facility: int
    unit: int
    cell: int
    place: int
    free_place: int
    inmate: int
    unplaced_inmate: int
    judgment: int
    expulsion: int
    non_association: int
    placement: int
    reservation: int
    outage: int
    case: int
    review_case: int  # with the host state, awaiting the caseworker's decision
    appeal_case: int  # under appeal, no outcome yet
    release_case: int  # in release preparation: its page shows the preparation form
    notified_case: int  # notified of the decision: the next move books it on a transport
    scheduled_case: int  # booked on the batch with a reserved place: it departs with the batch
    transit_case: int  # on its way on the batch: it is admitted when the batch arrives
    handover: int  # the scheduled case's handover, being filled in
    acknowledged_handover: int  # the case in transit's: acknowledged by the escort
    completed_handover: int  # complete, not yet acknowledged: its page shows the escort's form
    serving_case: int  # serving its stay: its page shows the periodic review form
    return_case: int  # return pending: the next move ends the stay in Denmark
    batch: int
    document: int
    terms: int
    aid_stream: int
    tranche: int
    condition: int
    due_tranche: int
    invoiced_tranche: int
    approved_tranche: int
    # Fields without a default come before those with one (a dataclass rule).
    # --- visits and travel support (begin): owned by the h19visits work
    visit_person: int  # the person of `case`, whose visits its caseworker sees
    visit: int  # requested: its page shows the booking and outcome forms
    travel_grant: int  # prepared: its page shows the approval form
    approved_travel_grant: int  # approved: its page shows the payment form
    # --- visits and travel support (end)
    # --- incidents (begin)
    incident: int = 0  # awaiting the governor's review
    # --- incidents (end)
    # --- inspections (begin): owned by the inspections work
    inspection: int = 0
    finding: int = 0
    finding_action: int = 0
    # --- inspections (end)
    complaint: int = 0  # h19complaints: an open, registered complaint of the placed person


@pytest.fixture(autouse=True)
def reference_data(db) -> None:
    """Countries, offence groups and reason codes come from data migrations; a transactional test
    elsewhere in the run may have flushed them, so load them again if they are gone."""
    if not Country.objects.exists():
        importlib.import_module("program.inmates.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("transfers.migrations.0012_programme_texts").load(apps, None)
    importlib.import_module("transfers.migrations.0010_sentence_texts").load(apps, None)


@pytest.fixture(autouse=True)
def media_root_per_test(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(db) -> Programme:
    today = timezone.localdate()
    terms = scheduled()
    agreement = terms.agreement
    ramp_up = RampUpCap.objects.create(
        agreement=agreement, effective_from=date(2020, 1, 1), places=300
    )
    facility = FacilityFactory(agreement=agreement)
    cell = CellFactory(unit__facility=facility)
    place = PlaceFactory(cell=cell)
    free_place = PlaceFactory(cell=CellFactory(unit=cell.unit))
    placed = InmateFactory()
    unplaced = InmateFactory()
    judgment = JudgmentFactory(inmate=placed)
    expulsion = ExpulsionOrderFactory(inmate=placed)
    first, second = sorted([placed, unplaced], key=lambda person: person.pk)
    rule = NonAssociationFactory(
        inmate_a=first, inmate_b=second, scope=NonAssociation.Scope.UNIT, reason="Co-defendants"
    )
    placement = cell_services.placement_admit(
        inmate=placed, place=place, on=today - timedelta(days=3), reason="Seed", actor=None
    )
    reserved = InmateFactory()
    reservation = cell_services.reservation_create(
        inmate=reserved,
        place=PlaceFactory(cell=CellFactory(unit=cell.unit)),
        arrival_on=today + timedelta(days=10),
        reason="Seed",
        actor=None,
    )
    outage = cell_services.outage_start(
        reason="repair",
        starts_on=today,
        expected_back_on=None,
        cell=CellFactory(unit=cell.unit),
        actor=None,
    )
    planner = User.objects.create_user("planner")
    planner.groups.add(Group.objects.get(name=Role.CASEWORKER))
    # The caseworker persona ("carla"), when the test signed her in first, owns the case: her
    # case page then shows its forms rather than the question why she reads the file.
    owner = User.objects.filter(username="carla").first() or planner
    case = transfer_services.case_open(inmate=unplaced, actor=planner, caseworker=owner)
    # Written straight in their state (reads and forms only): the moves have their own tests.
    review_case = TransferCaseFactory(state=TransferCase.State.HOST_REVIEW, caseworker=owner)
    appeal_case = TransferCaseFactory(
        state=TransferCase.State.UNDER_APPEAL,
        caseworker=owner,
        appeal_deadline=today + timedelta(days=10),
        appeal_lodged_on=today - timedelta(days=1),
    )
    # A case in a state with a stay holds its reservation or placement (checked at commit).
    release_case = case_in(TransferCase.State.RELEASE_PREP, caseworker=owner)
    notified_case = TransferCaseFactory(state=TransferCase.State.NOTIFIED, caseworker=owner)
    scheduled_case = case_in(TransferCase.State.SCHEDULED, caseworker=owner)
    transit_case = case_in(TransferCase.State.IN_TRANSIT, caseworker=owner)
    serving_case = case_in(TransferCase.State.SERVING, caseworker=owner)
    return_case = case_in(TransferCase.State.RETURN_PENDING, caseworker=owner)
    batch = transfer_services.batch_create(
        departs_on=today + timedelta(days=30), direction="dk_xk", seats=10, actor=planner
    )
    # The batch's page shows its departure and arrival forms only with someone to move.
    for booked in (scheduled_case, transit_case):
        ManifestEntry.objects.create(
            batch=batch, case=booked, placement=booked.placement, added_by=planner
        )
    # --- handover (begin)
    handover = Handover.objects.create(
        case=scheduled_case,
        batch=batch,
        facility=facility,
        created_by=planner,
        updated_by=planner,
    )
    acknowledged_handover = Handover.objects.create(
        case=transit_case,
        batch=batch,
        facility=facility,
        completed_at=timezone.now(),
        escort_officer="Officer Seed",
        escort_acknowledged_at=timezone.now(),
        created_by=planner,
        updated_by=planner,
    )
    # A second scheduled case whose handover is complete and waits for the escort.
    escorted_case = case_in(TransferCase.State.SCHEDULED, caseworker=owner)
    ManifestEntry.objects.create(
        batch=batch, case=escorted_case, placement=escorted_case.placement, added_by=planner
    )
    completed_handover = Handover.objects.create(
        case=escorted_case,
        batch=batch,
        facility=facility,
        completed_at=timezone.now(),
        created_by=planner,
        updated_by=planner,
    )
    # --- handover (end)
    document = transfer_services.document_upload(
        case=case,
        kind="judgment",
        file=SimpleUploadedFile("j.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf"),
        actor=planner,
    )
    rents = list(Tranche.objects.filter(agreement=agreement, stream="rent").order_by("due_on"))
    # One tranche in each state an action starts from (approving the third makes the first
    # two due); the last stays planned, so a condition can be added to it.
    tranche = rents[-1]
    approved_tranche = approved(rents[2])
    invoiced_tranche = invoiced(rents[1])
    due_tranche = Tranche.objects.get(pk=rents[0].pk)
    condition = finance_services.condition_add(
        tranche=tranche, kind="facility_ready", actor=finance_user("seed-officer")
    )
    # --- incidents (begin)
    governor = User.objects.create_user("seed-governor")
    governor.groups.add(Group.objects.get(name=Role.GOVERNOR))
    incident = incident_services.incident_report(
        actor=governor,
        facility=facility,
        kind="violence",
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Seeded incident",
    )
    # --- incidents (end)
    # --- inspections (begin): owned by the inspections work
    from program.inspections import services as inspection_services
    from program.inspections.models import InspectionBody

    governor = User.objects.create_user("hostile-governor")
    governor.groups.add(Group.objects.get(name=Role.GOVERNOR))
    visit = inspection_services.inspection_record(
        body=InspectionBody.objects.create(name="Hostile body", short_name="HB"),
        facility=facility,
        kind="announced",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 2),
        actor=governor,
    )
    visit_finding = inspection_services.finding_record(
        inspection=visit,
        title="Hostile finding",
        text="Seeded",
        severity="low",
        concerns="cell",
        cell=cell,
        actor=governor,
    )
    promised = inspection_services.action_add(
        finding=visit_finding,
        title="Seeded action",
        owner="Director",
        deadline=date(2027, 1, 1),
        actor=governor,
    )
    # --- inspections (end)
    # --- complaints (h19complaints, begin)
    authority = Authority.objects.create(
        code="kf", name_da="Kriminalforsorgen", name_en="Prison and Probation Service"
    )
    for kind in Kind.values:
        DeadlineRule.objects.create(agreement=agreement, kind=kind, days=14, source="Seed")
    # The person of the serving case, whose caseworker is the caseworker persona: her pages
    # open without asking the purpose, so their forms are read.
    complaint = complaint_services.complaint_register(
        actor=planner,
        inmate=serving_case.inmate,
        received_on=today,
        channel="email",
        kind=Kind.CONDITIONS,
        subject="Seed",
        authority=authority,
    )
    # --- complaints (h19complaints, end)
    return Programme(
        incident=incident.pk,
        inspection=visit.pk,
        finding=visit_finding.pk,
        finding_action=promised.pk,
        complaint=complaint.pk,
        agreement=agreement.pk,
        ramp_up=ramp_up.pk,
        facility=facility.pk,
        unit=cell.unit_id,
        cell=cell.pk,
        place=place.pk,
        free_place=free_place.pk,
        inmate=placed.pk,
        unplaced_inmate=unplaced.pk,
        judgment=judgment.pk,
        expulsion=expulsion.pk,
        non_association=rule.pk,
        placement=placement.pk,
        reservation=reservation.pk,
        outage=outage.pk,
        case=case.pk,
        review_case=review_case.pk,
        appeal_case=appeal_case.pk,
        release_case=release_case.pk,
        notified_case=notified_case.pk,
        scheduled_case=scheduled_case.pk,
        transit_case=transit_case.pk,
        handover=handover.pk,
        acknowledged_handover=acknowledged_handover.pk,
        completed_handover=completed_handover.pk,
        serving_case=serving_case.pk,
        return_case=return_case.pk,
        batch=batch.pk,
        document=document.pk,
        terms=terms.pk,
        aid_stream=agreement.aid_streams.get().pk,
        tranche=tranche.pk,
        condition=condition.pk,
        due_tranche=due_tranche.pk,
        invoiced_tranche=invoiced_tranche.pk,
        approved_tranche=approved_tranche.pk,
        **visit_rows(person=unplaced, facility=facility, caseworker=owner),
    )
