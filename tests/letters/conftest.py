"""Fixtures for letters: a programme with its starting templates, and cases ready for a letter."""

import io
from datetime import date, timedelta
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from program.cells.models import Agreement, Facility
from tests.factories import FacilityFactory
from tests.inmates.factories import InmateFactory
from tests.transfers.conftest import (  # noqa: F401 (fixtures shared with the case tests)
    carla,
    media_root,
    otto,
    reference_data,
)
from tests.transfers.factories import case_in
from transfers.letters import services
from transfers.models import Decision, TransferCase

S = TransferCase.State
DECIDED_ON = date(2026, 10, 5)
REASONS_DA = "Du opfylder betingelserne, og der er en ledig plads i Gjilan."
REASONS_AR = "أنت تستوفي الشروط، وهناك مكان شاغر في سجن جيلان."
PRISON = "Gjilan prison"


def pdf_text(content: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def letter_pages(letter: Any) -> list[str]:
    with letter.document.file.open("rb") as handle:
        return pdf_text(handle.read())


@pytest.fixture
def programme(db) -> Agreement:
    facility = FacilityFactory(name=PRISON, location="Pasjak, Kosovo")
    agreement = cast(Agreement, facility.agreement)
    services.letter_templates_seed(agreement=agreement)
    return agreement


def in_the_programme(case: TransferCase) -> TransferCase:
    """case_in books a case's reservation or placement in a prison of its own; a letter takes
    the templates of the programme whose place the case holds, so that place moves to the
    programme's prison."""
    if case.placement is not None:
        unit = case.placement.place.cell.unit
        unit.facility = Facility.objects.get(name=PRISON)
        unit.save(update_fields=["facility"])
    return case


def decided_case(
    actor: User,
    *,
    state: str = S.DECIDED_TRANSFER,
    outcome: str = Decision.Outcome.TRANSFER,
    languages: list[str] | None = None,
    name: str = "Søren Ærø-Müller",
    **fields: Any,
) -> TransferCase:
    inmate = InmateFactory(
        name=name,
        languages=languages if languages is not None else ["English"],
        date_of_birth=date(1988, 3, 14),
        home_institution="Storstrøm Prison",
    )
    case = in_the_programme(case_in(state, inmate=inmate, caseworker=actor, **fields))
    Decision.objects.create(
        case=case,
        outcome=outcome,
        authority="Kriminalforsorgen",
        legal_basis="Straffuldbyrdelsesloven § 1 a",
        decided_on=DECIDED_ON,
        recorded_by=actor,
    )
    return case


@pytest.fixture
def today() -> date:
    return timezone.localdate()


def deadline_from(day: date, days: int = 60) -> date:
    return day + timedelta(days=days)
