"""The people and places of the family-contact tests: a Gjilan-like facility and another, an
inmate of the caseworker's case placed there, a host officer posted there, and one posted
elsewhere."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from program.host.models import StaffPosting
from program.visits import services
from program.visits.models import Visit
from tests.factories import FacilityFactory
from tests.inmates.factories import InmateFactory
from transfers.models import TransferCase


@pytest.fixture
def facility(db) -> Any:
    return FacilityFactory(name="Gjilan")


@pytest.fixture
def other_facility(db) -> Any:
    return FacilityFactory(name="Elsewhere")


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def carla(caseworker) -> Any:
    return user("carla")


@pytest.fixture
def arben(host_officer, facility) -> Any:
    """The host officer (fixture host_officer), posted to the facility."""
    officer = user("arben")
    StaffPosting.objects.create(user=officer, facility=facility)
    return officer


@pytest.fixture
def inmate(carla, facility) -> Any:
    """A person whose transfer case carla holds."""
    person = InmateFactory(name="Besnik Krasniqi")
    TransferCase.objects.create(
        inmate=person, agreement=facility.agreement, caseworker=carla, state="identified"
    )
    return person


def at(days: int, hour: int = 10) -> datetime:
    """A time `days` from today at `hour`:00, local time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(
        day, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    ).replace(hour=hour)


@pytest.fixture
def make_visit(carla, facility) -> Any:
    def make(
        inmate: Any,
        *,
        kind: str = Visit.Kind.IN_PERSON,
        relations: tuple[tuple[str, str], ...] = (("partner", ""),),
        actor: Any = None,
        place: Any = None,
    ) -> Visit:
        return services.visit_request(
            inmate=inmate,
            facility=place or facility,
            kind=kind,
            requested_by=Visit.RequestedBy.RELATIVE,
            visitors=[
                services.VisitorInput(name=f"Visitor {n}", relation=r, age_group=a)
                for n, (r, a) in enumerate(relations, start=1)
            ],
            actor=actor or carla,
        )

    return make
