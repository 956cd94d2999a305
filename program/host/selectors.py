"""Reads for the host facility's pages: the posting that scopes a user, the day's roll, the
counts per unit and the headcount confirmations. Nothing here reads a conviction, an offence or
a health field (docs/host-facility.md)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from program.cells.models import Facility, Placement, Unit
from program.core.capabilities import roles_with
from program.core.roles import user_roles
from program.host.models import ArrivalCheck, HeadcountConfirmation, StaffPosting


def posted_facility(user: AbstractBaseUser | AnonymousUser) -> Facility | None:
    """The facility a host-facility user works at (None: not posted, sees nothing of a
    facility). One query, remembered on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_posted_facility_memo"):
        user._posted_facility_memo = (  # type: ignore[attr-defined]
            Facility.objects.filter(postings__user_id=user.pk).select_related("agreement").first()
        )
    return cast(Facility | None, user._posted_facility_memo)  # type: ignore[attr-defined]


def holds_only_host_roles(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A member of the host facility's staff and nothing else (Albanian is their default)."""
    roles = user_roles(user)
    return bool(roles) and roles <= roles_with("host.work")


def facility_of_user_rows(user: AbstractBaseUser | AnonymousUser) -> QuerySet[StaffPosting]:
    """The user's posting as a subquery (for the work queues' counts: no query of its own)."""
    return StaffPosting.objects.filter(user_id=cast(int, user.pk))


def present(*, facility: Facility, on: date) -> QuerySet[Placement]:
    """The people placed in the facility on a day (reservations are not present yet)."""
    return Placement.objects.filter(
        kind=Placement.Kind.PLACEMENT,
        place__cell__unit__facility=facility,
        period__contains=on,
    ).exclude(end_reason=Placement.EndReason.CANCELLED)


@dataclass(frozen=True)
class RollLine:
    """One person on the day's roll: who, where and since when. No sentence, no release date
    (derived from the judgment), no health flag."""

    inmate_id: int
    name: str
    case_number: str
    unit_name: str
    place_label: str
    since: date


def roll(*, facility: Facility, on: date) -> list[RollLine]:
    """One query: who is where in the facility today, in unit, cell and place order."""
    rows = (
        present(facility=facility, on=on)
        .order_by("place__cell__unit__code", "place__cell__number", "place__number")
        .values_list(
            "inmate_id",
            "inmate__name",
            "inmate__case_number",
            "place__cell__unit__name",
            "place__cell__number",
            "place__number",
            "period",
        )
    )
    return [
        RollLine(
            inmate_id=inmate_id,
            name=name,
            case_number=case_number,
            unit_name=unit_name,
            place_label=f"{cell}-{place}",
            since=period.lower,
        )
        for inmate_id, name, case_number, unit_name, cell, place, period in rows
    ]


def units(*, facility: Facility) -> QuerySet[Unit]:
    return Unit.objects.filter(facility=facility).order_by("code", "pk")


def roll_counts(*, facility: Facility, on: date) -> dict[int, int]:
    """How many are present in each unit of the facility on a day (one query)."""
    return dict(
        present(facility=facility, on=on)
        .order_by()
        .values_list("place__cell__unit_id")
        .annotate(n=Count("pk"))
        .values_list("place__cell__unit_id", "n")
    )


def roll_count(*, facility: Facility, unit: Unit | None, on: date) -> int:
    people = present(facility=facility, on=on)
    if unit is not None:
        people = people.filter(place__cell__unit=unit)
    return people.count()


def headcounts_in_force(
    *, facility: Facility, days: Iterable[date]
) -> QuerySet[HeadcountConfirmation]:
    return (
        HeadcountConfirmation.objects.filter(
            facility=facility, day__in=list(days), superseded_at__isnull=True
        )
        .select_related("unit", "confirmed_by")
        .order_by("-day", "unit__code", "pk")
    )


def headcount_history(
    *, facility: Facility, start: date, end: date
) -> QuerySet[HeadcountConfirmation]:
    """Every confirmation of the period, corrections and what they superseded included."""
    return (
        HeadcountConfirmation.objects.filter(facility=facility, day__range=(start, end))
        .select_related("unit", "confirmed_by")
        .order_by("-day", "unit__code", "-created_at", "-pk")
    )


def units_to_count(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    """The units of the user's facility whose headcount is not confirmed today, none when the
    whole facility was confirmed (the home page's work queue: one subquery, no query of its own
    to find the posting)."""
    today = timezone.localdate()
    in_force = HeadcountConfirmation.objects.filter(day=today, superseded_at__isnull=True)
    whole = in_force.filter(unit__isnull=True, facility_id=OuterRef("facility_id"))
    return (
        Unit.objects.filter(facility_id__in=facility_of_user_rows(user).values("facility_id"))
        .exclude(Exists(in_force.filter(unit_id=OuterRef("pk"))))
        .exclude(Exists(whole))
        .order_by("code", "pk")
    )


def arrivals_due_today(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Placement]:
    """The places of the user's facility reserved for someone arriving today or overdue (the
    reservation starts on the transport's day; admission turns it into a placement, a refusal
    cancels it)."""
    today = timezone.localdate()
    return (
        Placement.objects.filter(
            kind=Placement.Kind.RESERVATION,
            period__startswith__lte=today,
            place__cell__unit__facility_id__in=facility_of_user_rows(user).values("facility_id"),
        )
        .exclude(end_reason=Placement.EndReason.CANCELLED)
        .filter(Q(period__upper_inf=True) | Q(period__endswith__gt=today))
        .select_related("place__cell__unit")
        .order_by("period", "pk")
    )


def check_for_case(*, case_id: int) -> ArrivalCheck | None:
    return ArrivalCheck.objects.select_related("checked_by").filter(case_id=case_id).first()


def checks_on(*, facility: Facility, on: date) -> QuerySet[ArrivalCheck]:
    return (
        ArrivalCheck.objects.filter(facility=facility, checked_on=on)
        .select_related("inmate", "checked_by")
        .order_by("-pk")
    )
