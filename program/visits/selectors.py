"""Reads of family contact. Every list starts from `visits_for(user)`, which knows the role:
host-facility staff see their own facility's visits, a caseworker the visits of the people whose
transfer cases they hold, the governor and the auditor every visit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.module_loading import import_string

from program.cells.models import Placement
from program.core.capabilities import holds
from program.core.roles import user_roles
from program.host.selectors import posted_facility
from program.inmates.models import Inmate
from program.visits.models import Visit, Visitor

# The counts beside E15 look back this far.
CONTACT_WINDOW = timedelta(days=365)


def _caseworker_inmates(user: AbstractBaseUser) -> Any:
    """The inmate ids of the caseworker's cases (a subquery from the transfers app, named in
    settings so that program.* imports no app above it)."""
    return import_string(settings.VISITS_CASEWORKER_INMATES)(user)


def visits_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Visit]:
    """Every visit this user may see, with what a list shows (one query, visitors prefetched)."""
    roles = user_roles(user)
    base = Visit.objects.select_related("inmate", "facility").prefetch_related(
        Prefetch("visitors", queryset=Visitor.objects.order_by("id"))
    )
    if holds(roles, "visit.read.every"):
        return base
    scope = Q(pk__in=[])
    if holds(roles, "host.work"):
        facility = posted_facility(user)
        if facility is not None:
            scope |= Q(facility=facility)
    if holds(roles, "case.manage"):
        assert isinstance(user, AbstractBaseUser)  # noqa: S101 (a role means signed in)
        scope |= Q(inmate_id__in=_caseworker_inmates(user))
    return base.filter(scope)


def visit_list(
    *,
    user: AbstractBaseUser | AnonymousUser,
    status: str = "",
    kind: str = "",
    inmate: int | None = None,
    facility: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Visit]:
    visits = visits_for(user)
    if status:
        visits = visits.filter(status=status)
    if kind:
        visits = visits.filter(kind=kind)
    if inmate is not None:
        visits = visits.filter(inmate_id=inmate)
    if facility is not None:
        visits = visits.filter(facility_id=facility)
    if date_from is not None:
        visits = visits.filter(Q(starts_at__date__gte=date_from) | Q(starts_at__isnull=True))
    if date_to is not None:
        visits = visits.filter(starts_at__date__lte=date_to)
    return visits.order_by("starts_at", "requested_on", "id")


def visit_for(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Visit | None:
    """One visit, if this user may see it (None: not theirs or no such visit, the same 404)."""
    return visits_for(user).filter(pk=pk).first()


@dataclass(frozen=True)
class ContactCounts:
    """Family contact that took place in the window: the facts behind E15 (minor children)."""

    visits: int
    visits_with_children: int
    video_calls: int
    video_calls_with_children: int
    since: date

    @property
    def any(self) -> bool:
        return bool(self.visits or self.video_calls)


def _held_contact(*, inmate_id: int | OuterRef, now: datetime) -> QuerySet[Visit]:
    since = now - CONTACT_WINDOW
    with_child = Exists(
        Visitor.objects.filter(
            visit=OuterRef("pk"), relation="child", age_group__in=Visitor.MINOR_AGE_GROUPS
        )
    )
    return Visit.objects.filter(
        inmate_id=inmate_id, status=Visit.Status.TOOK_PLACE, starts_at__gte=since, starts_at__lt=now
    ).annotate(with_child=with_child)


def _contact_aggregates() -> dict[str, Count]:
    return {
        "visits": Count("pk", filter=Q(kind=Visit.Kind.IN_PERSON)),
        "visits_with_children": Count("pk", filter=Q(kind=Visit.Kind.IN_PERSON, with_child=True)),
        "video_calls": Count("pk", filter=Q(kind=Visit.Kind.VIDEO)),
        "video_calls_with_children": Count("pk", filter=Q(kind=Visit.Kind.VIDEO, with_child=True)),
    }


def contact_counts(*, inmate_id: int, now: datetime | None = None) -> ContactCounts:
    """Visits and video calls that took place in the last 12 months, and how many of each had a
    minor child among the visitors (one query)."""
    now = now or timezone.now()
    counts = _held_contact(inmate_id=inmate_id, now=now).aggregate(**_contact_aggregates())
    return ContactCounts(since=timezone.localdate(now - CONTACT_WINDOW), **counts)


def contact_counts_rows(*, inmate_id: int | OuterRef, now: datetime) -> QuerySet[Any]:
    """The same counts as a queryset of at most one row carrying them as the JSON object
    `record` (no row: no contact), for a page that reads them within a larger query (the
    person's record links)."""
    return (
        _held_contact(inmate_id=inmate_id, now=now)
        .order_by()
        .values("inmate_id")
        .annotate(record=JSONObject(**_contact_aggregates()))
    )


def contact_counts_from(record: dict[str, int] | None, *, now: datetime) -> ContactCounts:
    """ContactCounts from a row of contact_counts_rows (None: no row, no contact)."""
    record = record or {}
    return ContactCounts(
        visits=record.get("visits", 0),
        visits_with_children=record.get("visits_with_children", 0),
        video_calls=record.get("video_calls", 0),
        video_calls_with_children=record.get("video_calls_with_children", 0),
        since=timezone.localdate(now - CONTACT_WINDOW),
    )


def holding_clash(
    *, inmate_id: int, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> Visit | None:
    """A booked visit of the same person overlapping [starts_at, ends_at), for the message."""
    clash = Visit.objects.filter(
        inmate_id=inmate_id,
        status__in=[Visit.Status.BOOKED, Visit.Status.TOOK_PLACE],
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    return clash.order_by("starts_at").first()


def may_see_person(*, user: AbstractBaseUser | AnonymousUser, inmate_id: int) -> bool:
    """Whether a host-facility user or caseworker may see (and request) this person's visits:
    host staff for a person with a visit at their facility or held in a place there, a
    caseworker for a person of their cases."""
    roles = user_roles(user)
    if holds(roles, "visit.read.every"):
        return True
    if holds(roles, "case.manage"):
        assert isinstance(user, AbstractBaseUser)  # noqa: S101 (a role means signed in)
        if Inmate.objects.filter(pk=inmate_id, pk__in=_caseworker_inmates(user)).exists():
            return True
    if holds(roles, "host.work"):
        facility = posted_facility(user)
        if facility is None:
            return False
        at_facility = Visit.objects.filter(inmate_id=inmate_id, facility=facility).exists()
        return at_facility or placed_at(inmate_id=inmate_id, facility_id=facility.pk)
    return False


def placed_at(*, inmate_id: int, facility_id: int) -> bool:
    """Whether the person holds (or has reserved) a place at the facility now."""
    today = timezone.localdate()
    return (
        Placement.objects.filter(
            inmate_id=inmate_id,
            place__cell__unit__facility_id=facility_id,
            period__contains=today,
        )
        .exclude(end_reason="cancelled")
        .exists()
    )


def visits_for_travel_support(*, ids: list[int] | None = None) -> QuerySet[Visit]:
    """What the travel-support stream (finance) reads of a visit: its date, kind, facility and
    the visitors' relations. Finance shows no name of the inmate and nothing of the conviction;
    the inmate id is not selected."""
    visits = (
        Visit.objects.select_related("facility")
        .prefetch_related(
            Prefetch(
                "visitors", queryset=Visitor.objects.only("id", "visit_id", "relation", "age_group")
            )
        )
        .defer("inmate", "note", "outcome_reason", "interpreter_language")
    )
    return visits if ids is None else visits.filter(pk__in=ids)


def visits_open_for_travel_support() -> QuerySet[Visit]:
    """Visits a grant may be prepared for: in person, booked or held."""
    return (
        visits_for_travel_support()
        .filter(
            kind=Visit.Kind.IN_PERSON, status__in=[Visit.Status.BOOKED, Visit.Status.TOOK_PLACE]
        )
        .order_by("-starts_at", "-id")
    )
