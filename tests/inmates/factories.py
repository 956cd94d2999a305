"""Small explicit factories for the inmate registry; nothing random."""

from datetime import date, timedelta
from typing import Any

import factory
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from program.cells.models import Placement
from program.inmates.models import Country, ExpulsionOrder, Inmate, Judgment, NonAssociation
from tests.factories import PlaceFactory


class InmateFactory(factory.django.DjangoModelFactory[Inmate]):
    class Meta:
        model = Inmate
        skip_postgeneration_save = True

    case_number = factory.Sequence(lambda n: f"KF-{n:05d}")
    name = factory.Sequence(lambda n: f"Inmate {n:03d}")
    date_of_birth = date(1990, 5, 17)
    sex = Inmate.Sex.MALE
    security_level = Inmate.SecurityLevel.MEDIUM
    home_institution = "Storstrøm Prison"

    @factory.post_generation
    def nationalities(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        """nationalities=["DK", "SE"] (ISO codes); one Serbian nationality when not given."""
        if create:
            self.nationalities.set(Country.objects.filter(code__in=extracted or ["RS"]))


class JudgmentFactory(factory.django.DjangoModelFactory[Judgment]):
    class Meta:
        model = Judgment

    inmate = factory.SubFactory(InmateFactory)
    court = "Copenhagen City Court"
    judgment_date = date(2024, 11, 1)
    final_on = date(2024, 11, 15)
    sentence_type = Judgment.SentenceType.FIXED_TERM
    length_days = 900
    remand_days = 30
    sentence_start = date(2025, 1, 1)


class ExpulsionOrderFactory(factory.django.DjangoModelFactory[ExpulsionOrder]):
    class Meta:
        model = ExpulsionOrder

    inmate = factory.SubFactory(InmateFactory)
    ordered_on = date(2024, 11, 1)
    final = True
    entry_ban_years = 6


class NonAssociationFactory(factory.django.DjangoModelFactory[NonAssociation]):
    """Pass inmate_a and inmate_b with inmate_a.pk < inmate_b.pk (the canonical order)."""

    class Meta:
        model = NonAssociation

    scope = NonAssociation.Scope.UNIT
    reason = "Co-defendants"
    active = factory.LazyFunction(lambda: DateRange(date(2025, 1, 1), None, "[)"))


class PlacementFactory(factory.django.DjangoModelFactory[Placement]):
    """An inmate in a place since ten days ago, open-ended."""

    class Meta:
        model = Placement

    inmate = factory.SubFactory(InmateFactory)
    place = factory.SubFactory(PlaceFactory)
    kind = Placement.Kind.PLACEMENT
    period = factory.LazyFunction(
        lambda: DateRange(timezone.localdate() - timedelta(days=10), None, "[)")
    )
    reason = "Transfer decision"
