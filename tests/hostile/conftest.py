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
from program.core.roles import Role
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
from tests.transfers.factories import TransferCaseFactory
from transfers import services as transfer_services
from transfers.models import TransferCase


@dataclass(frozen=True)
class Programme:
    """The ids of one row of each kind, by the name the API and page routes use for them."""

    agreement: int
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
    batch: int
    document: int
    terms: int
    aid_stream: int
    tranche: int
    condition: int
    due_tranche: int
    invoiced_tranche: int
    approved_tranche: int


@pytest.fixture(autouse=True)
def reference_data(db) -> None:
    """Countries, offence groups and reason codes come from data migrations; a transactional test
    elsewhere in the run may have flushed them, so load them again if they are gone."""
    if not Country.objects.exists():
        importlib.import_module("program.inmates.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("transfers.migrations.0001_initial").load_reason_codes(apps, None)


@pytest.fixture(autouse=True)
def fast_hasher_and_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The personas' passwords are never typed here; a fast hasher keeps the many role tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(db) -> Programme:
    today = timezone.localdate()
    terms = scheduled()
    agreement = terms.agreement
    RampUpCap.objects.create(agreement=agreement, effective_from=date(2020, 1, 1), places=300)
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
    appeal_case = TransferCaseFactory(state=TransferCase.State.UNDER_APPEAL, caseworker=owner)
    release_case = TransferCaseFactory(state=TransferCase.State.RELEASE_PREP, caseworker=owner)
    batch = transfer_services.batch_create(
        departs_on=today + timedelta(days=30), direction="dk_xk", seats=10, actor=planner
    )
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
    return Programme(
        agreement=agreement.pk,
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
        batch=batch.pk,
        document=document.pk,
        terms=terms.pk,
        aid_stream=agreement.aid_streams.get().pk,
        tranche=tranche.pk,
        condition=condition.pk,
        due_tranche=due_tranche.pk,
        invoiced_tranche=invoiced_tranche.pk,
        approved_tranche=approved_tranche.pk,
    )
