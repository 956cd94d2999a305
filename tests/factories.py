"""Small explicit factories; each builds one valid row and nothing random."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

import factory

from finance.models import AidStream, PricingTerms
from program.cells.models import Agreement, Cell, Facility, Place, RampUpCap, Unit


class AgreementFactory(factory.django.DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    name = factory.Sequence(lambda n: f"Agreement {n}")
    sending_state = "DK"
    host_state = "XK"
    sending_authority = "Danish Prison and Probation Service"
    host_authority = "Kosovo Correctional Service"
    signed_on = date(2022, 4, 26)
    initial_term_years = 5
    extension_years = 5
    contracted_places = 300


class RampUpCapFactory(factory.django.DjangoModelFactory[RampUpCap]):
    class Meta:
        model = RampUpCap

    agreement = factory.SubFactory(AgreementFactory)
    effective_from = date(2027, 4, 1)
    places = 100


def the_programme() -> Agreement:
    """The programme a test works in unless it names another: the oldest agreement, made when
    there is none (a test with two programmes passes the second one explicitly)."""
    return Agreement.objects.order_by("signed_on", "id").first() or cast(
        Agreement, AgreementFactory()
    )


class FacilityFactory(factory.django.DjangoModelFactory[Facility]):
    class Meta:
        model = Facility

    agreement = factory.LazyFunction(the_programme)
    name = factory.Sequence(lambda n: f"Facility {n}")
    location = "Pasjak"
    country = "XK"


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda unit: f"Unit {unit.code}")


class CellFactory(factory.django.DjangoModelFactory[Cell]):
    class Meta:
        model = Cell

    unit = factory.SubFactory(UnitFactory)
    number = factory.Sequence(lambda n: f"C-{n}")
    kind = Cell.Kind.SINGLE
    floor_area_m2 = Decimal("7.50")
    sanitary_partitioned = True
    shortest_wall_m = Decimal("2.40")
    ceiling_height_m = Decimal("2.80")


class PlaceFactory(factory.django.DjangoModelFactory[Place]):
    class Meta:
        model = Place

    cell = factory.SubFactory(CellFactory)
    number = 1


class PricingTermsFactory(factory.django.DjangoModelFactory[PricingTerms]):
    class Meta:
        model = PricingTerms

    agreement = factory.SubFactory(AgreementFactory)
    pricing_model = PricingTerms.Model.FIXED_ANNUAL
    annual_fee = Decimal("15000000.00")
    start_fee = Decimal("5000000.00")


class AidStreamFactory(factory.django.DjangoModelFactory[AidStream]):
    class Meta:
        model = AidStream

    agreement = factory.SubFactory(AgreementFactory)
    name = "Green-energy aid"
    budget_owner = "Ministry of Foreign Affairs"
    annual_amount = Decimal("6000000.00")
    years = 10


def handover_ready(case: Any, caseworker: Any, *, health: Any = None) -> Any:
    """A complete handover the escort has acknowledged, for the case's seat on its transport
    out (what a departure needs): started and filled by the caseworker, the health part saved
    by a health-staff user (made when not given)."""
    from django.contrib.auth.models import Group, User

    from program.core.roles import Role
    from program.handover import services as handover

    if health is None:
        health, _made = User.objects.get_or_create(username="handover-health")
        health.groups.add(Group.objects.get(name=Role.HEALTH_STAFF))
    record = handover.handover_start(case=case, actor=caseworker)
    if record.ready_to_travel:
        return record
    record = handover.handover_update(
        handover=record,
        actor=health,
        values={"health_details": ""},
    )
    record = handover.handover_complete(handover=record, actor=caseworker)
    return handover.handover_acknowledge_escort(
        handover=record,
        actor=caseworker,
        escort_officer="Officer Jensen",
    )
