"""Synthetic candidates in bulk for the drills: enough that the nightly sweep runs for several
chunks (transfers.services.SWEEP_CHUNK each), so a worker can be killed in the middle of it."""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from program.inmates.models import Country, ExpulsionOrder, Inmate, Judgment
from transfers import services
from transfers.models import TransferCase

ORIGINS = ["RS", "AL", "MA", "TR", "NG", "GE", "PK", "VN", "UA"]


def candidates(n: int) -> list[Inmate]:
    """n candidates, each with a final judgment and a final expulsion order (so each is in the
    sweep's population); varied, so the rules both pass and fail."""
    countries = Country.objects.in_bulk(ORIGINS)
    with transaction.atomic():
        inmates = Inmate.objects.bulk_create(
            [
                Inmate(
                    case_number=f"DRILL-{i:06d}",
                    name=f"Drill Candidate {i}",
                    date_of_birth=date(1960, 1, 1) + timedelta(days=(i * 37) % 15000),
                    sex=Inmate.Sex.MALE,
                    country_of_return=countries[ORIGINS[i % len(ORIGINS)]],
                    return_readmits=["", "", "", "no"][i % 4],
                    return_readmits_reason="Refused a travel document" if i % 4 == 3 else "",
                    security_level=["low", "low", "medium", "high"][i % 4],
                    home_institution="Vestre Prison",
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        through = Inmate.nationalities.through
        through.objects.bulk_create(
            [
                through(inmate_id=inmate.pk, country_id=ORIGINS[i % 9])
                for i, inmate in enumerate(inmates)
            ],
            batch_size=5000,
        )
        Judgment.objects.bulk_create(
            [
                Judgment(
                    inmate=inmate,
                    court="Copenhagen City Court",
                    judgment_date=date(2024, 1, 1) + timedelta(days=i % 700),
                    final_on=date(2024, 2, 1) + timedelta(days=i % 700),
                    sentence_type="fixed_term",
                    length_days=[540, 730, 1095, 1825, 2920][i % 5],
                    remand_days=i % 90,
                    sentence_start=date(2024, 1, 1) + timedelta(days=i % 700),
                )
                for i, inmate in enumerate(inmates)
            ],
            batch_size=2000,
        )
        ExpulsionOrder.objects.bulk_create(
            [
                ExpulsionOrder(inmate=inmate, ordered_on=date(2024, 1, 1), final=True)
                for inmate in inmates
            ],
            batch_size=2000,
        )
    return inmates


def open_cases(inmates: list[Inmate], *, every: int, caseworker: User) -> list[TransferCase]:
    """An open case (identified, never screened) for every `every`-th inmate, spread over the
    population so that each sweep chunk holds some."""
    return [services.case_open(inmate=inmate, actor=caseworker) for inmate in inmates[::every]]
