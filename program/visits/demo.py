"""Family contact at Gjilan: for three people in place there, visits held in the last months (one
with the children), video calls, a visit booked for next week with an interpreter, a request
waiting to be booked, a cancelled visit. Runs after the demo users (order 1) and the transfer
cases; a second run changes nothing."""

from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from program.cells.demo import FACILITY_NAME
from program.cells.models import Facility, Placement
from program.core.demo import register
from program.core.roles import Role
from program.visits.models import Visit, Visitor

# (days from today, hour, kind, status, visitors as (name, relation, age group), interpreter)
PLAN: list[list[tuple[int, int, str, str, tuple[tuple[str, str, str], ...], str]]] = [
    [
        (
            -70,
            10,
            "in_person",
            "took_place",
            (("Arta", "partner", ""), ("Dion", "child", "6_11"), ("Lea", "child", "0_5")),
            "Albanian",
        ),
        (-40, 14, "video", "took_place", (("Arta", "partner", ""), ("Dion", "child", "6_11")), ""),
        (-12, 15, "video", "took_place", (("Arta", "partner", ""),), ""),
        (
            8,
            10,
            "in_person",
            "booked",
            (("Arta", "partner", ""), ("Dion", "child", "6_11")),
            "Albanian",
        ),
    ],
    [
        (-55, 11, "in_person", "took_place", (("Mira", "parent", ""),), "Serbian"),
        (-20, 16, "video", "took_place", (("Mira", "parent", ""), ("Stefan", "sibling", "")), ""),
        (-5, 10, "in_person", "cancelled", (("Mira", "parent", ""),), ""),
    ],
    [
        (-30, 13, "video", "took_place", (("Jonas", "other", ""),), ""),
        (0, 0, "video", "requested", (("Jonas", "other", ""),), ""),
    ],
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(
        day, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    ).replace(hour=hour)


@register(order=115)
def load(out: TextIO) -> None:
    facility = Facility.objects.filter(name=FACILITY_NAME).first()
    if facility is None or Visit.objects.filter(facility=facility).exists():
        return
    today = timezone.localdate()
    people = list(
        Placement.objects.filter(
            place__cell__unit__facility=facility, period__contains=today, kind="placement"
        )
        .order_by("inmate_id")
        .values_list("inmate_id", flat=True)[: len(PLAN)]
    )
    users = get_user_model().objects
    caseworker = users.filter(username=Role.CASEWORKER.value).first()
    officer = users.filter(username=Role.HOST_OFFICER.value).first()
    if caseworker is None or officer is None or not people:
        out.write("Visits: no one in place or no demo users; skipped\n")
        return
    made = 0
    for inmate_id, plan in zip(people, PLAN, strict=False):
        for days, hour, kind, status, visitors, language in plan:
            made += 1
            _visit(
                inmate_id,
                facility,
                caseworker,
                officer,
                days,
                hour,
                kind,
                status,
                visitors,
                language,
            )
    out.write(f"Visits at {facility.name}: {made}\n")


def _visit(
    inmate_id: int,
    facility: Facility,
    caseworker: Any,
    officer: Any,
    days: int,
    hour: int,
    kind: str,
    status: str,
    visitors: tuple[tuple[str, str, str], ...],
    language: str,
) -> None:
    # Written straight in their state: the past cannot be booked through the services, which
    # refuse a time that has passed.
    booked = status != "requested"
    starts = _at(days, hour) if booked else None
    visit = Visit.objects.create(
        inmate_id=inmate_id,
        facility=facility,
        kind=kind,
        status=status,
        requested_by=Visit.RequestedBy.RELATIVE,
        requested_on=timezone.localdate() + timedelta(days=min(days, 0) - 14),
        wished_on=None if booked else timezone.localdate() + timedelta(days=10),
        interpreter_needed=bool(language),
        interpreter_language=language,
        recorded_by=caseworker,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2 if kind == "in_person" else 1) if starts else None,
        booked_by=officer if booked else None,
        outcome_reason="The family's flight was cancelled." if status == "cancelled" else "",
        outcome_by=caseworker if status in ("cancelled", "took_place") else None,
        outcome_at=starts if status in ("cancelled", "took_place") else None,
    )
    Visitor.objects.bulk_create(
        Visitor(visit=visit, name=name, relation=relation, age_group=age)
        for name, relation, age in visitors
    )
