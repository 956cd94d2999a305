"""Small explicit set-ups for the complaint tests: a facility with its deadline rules, people
placed there, authorities, and a PDF to upload."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from program.cells.models import Facility
from program.complaints.models import Authority, DeadlineRule, Kind
from program.host.models import StaffPosting
from program.inmates.models import Inmate
from tests.factories import PlaceFactory
from tests.inmates.factories import InmateFactory, PlacementFactory

DAYS = {Kind.STAFF_TREATMENT: 14, Kind.HEALTH_CARE: 10, Kind.CONDITIONS: 30, Kind.OTHER: 21}
PDF = b"%PDF-1.4\n% a complaint letter\n"


def facility_with_rules() -> Facility:
    place = PlaceFactory()
    facility = place.cell.unit.facility
    for kind, days in DAYS.items():
        DeadlineRule.objects.get_or_create(
            agreement=facility.agreement,
            kind=kind,
            defaults={"days": days, "remind_days_before": 3, "source": "Test assumption"},
        )
    return facility


def placed(facility: Facility, *, since_days: int = 60, **extra: object) -> Inmate:
    """A person holding a place at the facility since `since_days` ago."""
    inmate: Inmate = InmateFactory(**extra)  # type: ignore[assignment]
    place = PlaceFactory(cell__unit__facility=facility)
    PlacementFactory(
        inmate=inmate,
        place=place,
        period=DateRange(timezone.localdate() - timedelta(days=since_days), None, "[)"),
    )
    return inmate


def authorities() -> dict[str, Authority]:
    return {
        "kf": Authority.objects.create(
            code="kf", name_da="Kriminalforsorgen", name_en="Prison and Probation Service"
        ),
        "ombud": Authority.objects.create(
            code="ombud",
            name_da="Folketingets Ombudsmand",
            name_en="Parliamentary Ombudsman",
            is_ombudsman=True,
        ),
    }


def user(username: str) -> object:
    return get_user_model().objects.get(username=username)


def post(username: str, facility: Facility) -> None:
    StaffPosting.objects.create(user=user(username), facility=facility)


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
