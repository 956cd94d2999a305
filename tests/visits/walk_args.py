"""Rows the route-walking tests need for family contact and travel support: a booked visit at
the facility (seen by the host personas posted there, the caseworker persona holding the
person's case, the governor and the auditor) and a travel grant with its budget."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from finance.travel.models import TravelBudget, TravelGrant
from program.host.models import StaffPosting
from program.inmates.models import Inmate
from program.visits.models import Visit, Visitor
from transfers.models import TransferCase

HOST_PERSONAS = ("arben", "drita")


def visit_route_args(*, facility: Any, preparer: Any) -> dict[str, list[object]]:
    """The route arguments of the visits and travel-support routes. The host personas (users
    arben and drita, made by their fixtures before this runs) are posted to `facility`."""
    users = get_user_model().objects
    for name in HOST_PERSONAS:
        host = users.filter(username=name).first()
        if host is not None:
            StaffPosting.objects.get_or_create(user=host, defaults={"facility": facility})
    carla = users.get(username="carla")
    person = Inmate.objects.create(
        case_number="KF-VISITS",
        name="Visit Walker",
        date_of_birth=date(1985, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )
    TransferCase.objects.create(agreement=facility.agreement, inmate=person, caseworker=carla)
    starts = timezone.now() + timedelta(days=3)
    visit = Visit.objects.create(
        inmate=person,
        facility=facility,
        kind=Visit.Kind.IN_PERSON,
        status=Visit.Status.BOOKED,
        requested_by=Visit.RequestedBy.RELATIVE,
        requested_on=timezone.localdate(),
        recorded_by=carla,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        booked_by=carla,
    )
    Visitor.objects.create(visit=visit, name="Arta", relation="child", age_group="6_11")
    budget = TravelBudget.objects.create(
        agreement=facility.agreement, year=timezone.localtime(starts).year, amount=Decimal("1000")
    )
    grant = TravelGrant.objects.create(
        budget=budget, visit=visit, amount=Decimal("100"), covers="Flights", prepared_by=preparer
    )
    return {
        "visits:person": [person.pk],
        "visits:request": [person.pk],
        "visits:detail": [visit.pk],
        "visits:book": [visit.pk],
        "visits:outcome": [visit.pk],
        "api:visit-detail": [visit.pk],
        "api:visit-contact-counts": [person.pk],
        "finance:travel-grant-detail": [grant.pk],
        "finance:travel-grant-approve": [grant.pk],
        "finance:travel-grant-reject": [grant.pk],
        "finance:travel-grant-pay": [grant.pk],
        "api:travel-grant-detail": [grant.pk],
        "api:travel-budget-detail": [budget.pk],
    }


def hostile_rows(*, person: Any, facility: Any, caseworker: Any) -> dict[str, int]:
    """For the hostile-input walk: a requested visit (its forms: book, outcome), and a
    prepared travel grant on a booked one (its forms: approve, reject, pay)."""
    requested = Visit.objects.create(
        inmate=person,
        facility=facility,
        kind=Visit.Kind.VIDEO,
        requested_by=Visit.RequestedBy.INMATE,
        requested_on=timezone.localdate(),
        recorded_by=caseworker,
    )
    Visitor.objects.create(visit=requested, name="Arta", relation="partner")
    starts = timezone.now() + timedelta(days=5)
    booked = Visit.objects.create(
        inmate=person,
        facility=facility,
        kind=Visit.Kind.IN_PERSON,
        status=Visit.Status.BOOKED,
        requested_by=Visit.RequestedBy.RELATIVE,
        requested_on=timezone.localdate(),
        recorded_by=caseworker,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        booked_by=caseworker,
    )
    preparer, _ = get_user_model().objects.get_or_create(username="seed-travel-officer")
    budget = TravelBudget.objects.create(
        agreement=facility.agreement, year=timezone.localtime(starts).year, amount=Decimal("5000")
    )
    grant = TravelGrant.objects.create(
        budget=budget, visit=booked, amount=Decimal("300"), covers="Ferry", prepared_by=preparer
    )
    later = Visit.objects.create(
        inmate=person,
        facility=facility,
        kind=Visit.Kind.IN_PERSON,
        status=Visit.Status.BOOKED,
        requested_by=Visit.RequestedBy.RELATIVE,
        requested_on=timezone.localdate(),
        recorded_by=caseworker,
        starts_at=starts + timedelta(days=1),
        ends_at=starts + timedelta(days=1, hours=1),
        booked_by=caseworker,
    )
    approved = TravelGrant.objects.create(
        budget=budget,
        visit=later,
        amount=Decimal("200"),
        covers="Bus",
        prepared_by=preparer,
        status=TravelGrant.Status.APPROVED,
    )
    return {
        "visit_person": person.pk,
        "visit": requested.pk,
        "travel_grant": grant.pk,
        "approved_travel_grant": approved.pk,
    }
