"""Reads of incidents, always starting from `incidents_for(user)`: one place knows who sees what.

The Danish roles that may read incidents see them all; a host-facility officer or manager sees
only the incidents at the facility they are posted to (none when not posted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from program.cells.models import Facility, Placement
from program.core.capabilities import can, users_with
from program.host.models import StaffPosting
from program.host.selectors import posted_facility
from program.incidents.models import Incident, IncidentInmate, IncidentReview
from program.inmates.models import Inmate

# The Danish roles that read every incident (the route policy admits the same, routes.py).
Reader = AbstractBaseUser | AnonymousUser


def is_host_staff_only(user: Reader) -> bool:
    """Whether the user reads as host-facility staff: a host role and no Danish reading role."""
    return can(user, "host.work") and not can(user, "incident.read.every_facility")


def sees_injuries(user: Reader) -> bool:
    """Injuries are health data: the Danish readers see them, host staff do not."""
    return can(user, "incident.read.every_facility")


def facility_scope(user: Reader) -> Facility | bool | None:
    """True: every facility; a Facility: only that one; None: none at all."""
    if can(user, "incident.read.every_facility"):
        return True
    if can(user, "host.work"):
        return posted_facility(user)
    return None


def incidents_for(user: Reader) -> QuerySet[Incident]:
    """Every incident this user may read (the base of every list, detail and export)."""
    scope = facility_scope(user)
    if scope is True:
        return Incident.objects.all()
    if isinstance(scope, Facility):
        return Incident.objects.filter(facility=scope)
    return Incident.objects.none()


def reportable_facilities(user: Reader) -> QuerySet[Facility]:
    """Where this user may report: host staff at their own facility, Danish staff anywhere."""
    return facilities_in_scope(facility_scope(user))


def facilities_in_scope(scope: Facility | bool | None) -> QuerySet[Facility]:
    """The facilities of a facility_scope read already (the report form reads it once)."""
    if scope is True:
        return Facility.objects.select_related("agreement").order_by("name")
    if isinstance(scope, Facility):
        return Facility.objects.filter(pk=scope.pk).select_related("agreement")
    return Facility.objects.none()


@dataclass(frozen=True)
class IncidentFilters:
    kind: str = ""
    state: str = ""
    facility: int | None = None
    inmate: int | None = None
    overdue: bool = False


def incident_list(*, user: Reader, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    """The user's incidents, newest first, with what a list row shows (one query, and one for
    the people of the page)."""
    filters = filters or IncidentFilters()
    rows = incidents_for(user).select_related("facility", "unit")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.facility:
        rows = rows.filter(facility_id=filters.facility)
    if filters.inmate:
        rows = rows.filter(people__inmate_id=filters.inmate)
    if filters.overdue:
        rows = overdue(rows)
    return rows.prefetch_related(
        Prefetch(
            "people",
            queryset=IncidentInmate.objects.select_related("inmate").order_by("inmate__name"),
        )
    ).order_by("-occurred_at", "-id")


def overdue(rows: QuerySet[Incident], *, now: datetime | None = None) -> QuerySet[Incident]:
    """Incidents whose review is owed and past its deadline."""
    return rows.filter(
        state=Incident.State.AWAITING_REVIEW, review_due_at__lt=now or timezone.now()
    )


def reviews_overdue(user: Any) -> QuerySet[Incident]:
    """The governor's queue: reviews past their deadline, the longest overdue first."""
    return overdue(incidents_for(user)).select_related("facility").order_by("review_due_at", "id")


def incident_detail(*, user: Reader, pk: int) -> Incident | None:
    return (
        incidents_for(user)
        .select_related("facility__agreement", "unit", "cell", "reported_by")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=IncidentInmate.objects.select_related("inmate").order_by("inmate__name"),
            ),
            "named_staff__user",
            Prefetch("reviews", queryset=IncidentReview.objects.select_related("reviewer")),
            "additions__added_by",
            "notices",
        )
        .select_related("authority_notice")
        .filter(pk=pk)
        .first()
    )


def inmates_at(facility: Facility, *, on: date | None = None) -> QuerySet[Inmate]:
    """The people held at the facility on a day (placements, not reservations): who may be
    named in an incident there."""
    day = on or timezone.localdate()
    held = Placement.objects.filter(
        inmate=OuterRef("pk"),
        kind=Placement.Kind.PLACEMENT,
        place__cell__unit__facility=facility,
        period__contains=day,
    )
    return Inmate.objects.filter(Exists(held)).order_by("name", "case_number")


def staff_to_name(facility: Facility) -> QuerySet[Any]:
    """Users who may be named and told: the facility's posted staff and the governors."""
    posted = StaffPosting.objects.filter(user=OuterRef("pk"), facility=facility)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(Exists(posted)) | Q(pk__in=users_with("incident.review").values("pk")))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def governor_ids() -> list[int]:
    return list(users_with("incident.review").values_list("pk", flat=True))


def incidents_of_inmate(*, user: Reader, inmate_id: int) -> QuerySet[Incident]:
    return (
        incidents_for(user)
        .filter(people__inmate_id=inmate_id)
        .only("pk", "kind", "occurred_at", "state")
        .order_by("-occurred_at", "-id")
    )


# --- The programme report -----------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def incident_figures(
    *, facility_ids: QuerySet[Any] | list[int], start: date, until: date, now: datetime
) -> dict[str, int]:
    """Incidents that happened at these facilities in [start, until) (Copenhagen days), by kind,
    and how many of them had their review overdue as of `now` (or the period's end, if
    earlier): no review by the deadline, whether reviewed late or not yet. One query.

    Counted from when things happened and when reviews were recorded, never from an incident's
    present state, so a period's figures do not drift.
    """
    as_of = min(now, _start_of(until))
    first_review_late_or_missing = ~Exists(
        IncidentReview.objects.filter(
            incident=OuterRef("pk"), reviewed_at__lte=OuterRef("review_due_at")
        )
    )
    counts = {kind: Count("pk", filter=Q(kind=kind)) for kind in Incident.Kind.values} | {
        "total": Count("pk"),
        "overdue": Count("pk", filter=Q(review_due_at__lt=as_of) & Q(late_or_missing=True)),
    }
    row = (
        Incident.objects.filter(
            facility_id__in=facility_ids,
            occurred_at__gte=_start_of(start),
            occurred_at__lt=_start_of(until),
        )
        .annotate(late_or_missing=first_review_late_or_missing)
        .aggregate(**counts)
    )
    return {key: int(value or 0) for key, value in row.items()}
