"""Small explicit factories for transfer cases; nothing random."""

from typing import Any, cast

import factory

from transfers.models import TransferCase


class TransferCaseFactory(factory.django.DjangoModelFactory[TransferCase]):
    """A case in a given state, written directly: for reads and pages, never for moves."""

    class Meta:
        model = TransferCase

    inmate = factory.SubFactory("tests.inmates.factories.InmateFactory")
    state = TransferCase.State.IDENTIFIED


def case_in(state: str, **fields: Any) -> TransferCase:
    return cast(TransferCase, TransferCaseFactory(state=state, **fields))
