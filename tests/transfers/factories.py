"""Small explicit factories for transfer cases; nothing random."""

from datetime import timedelta
from typing import Any, cast

import factory
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from program.cells.models import Placement
from tests.factories import the_programme
from tests.inmates.factories import PlacementFactory
from transfers.models import TransferCase
from transfers.moves import PLACEMENT_STATES


class TransferCaseFactory(factory.django.DjangoModelFactory[TransferCase]):
    """A case in a given state, written directly: for reads and pages, never for moves."""

    class Meta:
        model = TransferCase

    inmate = factory.SubFactory("tests.inmates.factories.InmateFactory")
    agreement = factory.LazyFunction(the_programme)
    state = TransferCase.State.IDENTIFIED


# States whose case always holds a reservation (the database checks it at commit, and so does
# every test's teardown): under appeal holds one only when the appeal came after the booking.
_RESERVED = {TransferCase.State.SCHEDULED, TransferCase.State.IN_TRANSIT}


def case_in(state: str, **fields: Any) -> TransferCase:
    """A case in `state`, with the place its state requires (a reservation or a placement)."""
    case = cast(TransferCase, TransferCaseFactory(state=state, **fields))
    if state in _RESERVED or state in PLACEMENT_STATES:
        today = timezone.localdate()
        reserved = state in _RESERVED
        placement = PlacementFactory(
            inmate=case.inmate,
            kind=Placement.Kind.RESERVATION if reserved else Placement.Kind.PLACEMENT,
            period=DateRange(today if reserved else today - timedelta(days=10), None, "[)"),
        )
        TransferCase.objects.filter(pk=case.pk).update(placement=placement)
        case.placement = cast(Placement, placement)
    return case
