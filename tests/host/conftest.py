"""The host facility's fixtures: a facility with two units, its officer and manager posted
there, and a transport on its way with people booked into reserved places."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from program.cells.models import Facility, Place, Unit
from program.host.models import StaffPosting
from tests.factories import (
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    UnitFactory,
    handover_ready,
)
from tests.transfers.conftest import (  # noqa: F401  (the transfers fixtures, reused)
    carla,
    make_eligible_inmate,
    media_root,
    otto,
    programme,
    reference_data,
)
from tests.transfers.helpers import advance, batch, upload
from transfers import services
from transfers.models import Document, TransferCase, TransportBatch

S = TransferCase.State


@dataclass
class Site:
    facility: Facility
    units: list[Unit]
    places: list[Place]


@pytest.fixture
def site(programme) -> Site:  # noqa: F811
    facility = FacilityFactory(agreement=programme, name="Gjilan")
    units = [UnitFactory(facility=facility, code="A"), UnitFactory(facility=facility, code="B")]
    places = [PlaceFactory(cell=CellFactory(unit=unit)) for unit in units for _ in range(3)]
    return Site(facility=facility, units=units, places=places)


def post(user_or_client, facility: Facility) -> User:
    user = (
        user_or_client
        if isinstance(user_or_client, User)
        else User.objects.get(pk=user_or_client.session["_auth_user_id"])
    )
    StaffPosting.objects.update_or_create(user=user, defaults={"facility": facility})
    return user


@pytest.fixture
def arben(host_officer, site) -> User:
    """The officer behind the `host_officer` client, posted to the site."""
    return post(host_officer, site.facility)


@pytest.fixture
def drita(host_manager, site) -> User:
    return post(host_manager, site.facility)


@dataclass
class Transport:
    batch: TransportBatch
    cases: list[TransferCase]


def on_the_way(carla: User, otto: User, places: list[Place], *, depart: bool = True) -> Transport:  # noqa: F811
    """People booked on one transport into the given places, departed unless told not."""
    transport = batch(carla, seats=len(places))
    cases = []
    for place in places:
        case = services.case_open(inmate=make_eligible_inmate(), actor=carla)
        advance(case, S.NOTIFIED, carla=carla, otto=otto)
        services.case_transition(
            case=case, to=S.SCHEDULED, actor=carla, data={"batch": transport, "place": place}
        )
        if depart:
            upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
            # A departure now needs each person's complete, escort-acknowledged handover.
            handover_ready(case, carla)
            services.case_transition(case=case, to=S.IN_TRANSIT, actor=carla)
        case.refresh_from_db()
        cases.append(case)
    return Transport(batch=transport, cases=cases)


@pytest.fixture
def transport(carla, otto, site) -> Transport:  # noqa: F811
    """Three people on today's transport to the site, in transit, into unit A's places."""
    return on_the_way(carla, otto, site.places[:3])
