"""Reads of complaints: the Danish staff's list and detail, the host facility's receipts (no
contents), the "answers due" queue, a person's complaints and the programme report's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from program.complaints.models import Authority, Complaint, Kind
from program.core.capabilities import can
from program.host.selectors import posted_facility

OPEN = Complaint.Status.OPEN
STATUS_FILTERS = ("open", "answered", "overdue")


def complaint_queryset() -> QuerySet[Complaint]:
    """The base of every Danish-side read: the row with what its pages show beside it."""
    return Complaint.objects.select_related(
        "inmate", "authority", "facility", "handler", "answered_by", "registered_by"
    )


def complaint_detail(pk: int) -> Complaint | None:
    return complaint_queryset().prefetch_related("documents").filter(pk=pk).first()


def complaint_list(
    *,
    today: date,
    status: str = "",
    authority: Authority | None = None,
    kind: str = "",
    inmate_id: int | None = None,
) -> QuerySet[Complaint]:
    """The complaints, filtered: `status` is open, answered or overdue (open past its
    deadline); soonest deadline first among the open ones."""
    rows = complaint_queryset()
    if status == "open":
        rows = rows.filter(status=OPEN)
    elif status == "answered":
        rows = rows.filter(status=Complaint.Status.ANSWERED)
    elif status == "overdue":
        rows = rows.filter(status=OPEN, deadline__lt=today)
    if authority is not None:
        rows = rows.filter(authority=authority)
    if kind:
        rows = rows.filter(kind=kind)
    if inmate_id is not None:
        rows = rows.filter(inmate_id=inmate_id)
    return rows.order_by("status", "deadline", "-received_on", "-id")


def receipts_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Complaint]:
    """What the host facility's staff see: the receipts at their own facility, by whom and
    when, never what a complaint says, who handles it or how it was answered (only the columns
    below are read from the database)."""
    facility = posted_facility(user)
    if facility is None:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(facility=facility)
        .select_related("inmate")
        .only(
            "pk",
            "received_on",
            "channel",
            "sealed",
            "facility_id",
            "created_at",
            "inmate__id",
            "inmate__name",
            "inmate__case_number",
        )
        .order_by("-received_on", "-id")
    )


def answers_due(user: Any, *, today: date) -> QuerySet[Complaint]:
    """The "answers due" work queue: open complaints whose reminder day has come, handled by
    this user or by no one yet (then every caseworker and governor sees them)."""
    if not can(user, "complaint.handle"):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(status=OPEN, remind_on__lte=today)
        .filter(Q(handler_id=user.pk) | Q(handler__isnull=True))
        .order_by("deadline", "pk")
    )


def complaints_of(inmate_id: int) -> QuerySet[Complaint]:
    return Complaint.objects.filter(inmate_id=inmate_id).only(
        "pk", "received_on", "kind", "status", "deadline", "sealed"
    )


# --- The programme report ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportCounts:
    received: int
    answered: int
    answered_in_time: int
    answered_late: int
    overdue: int
    by_kind: dict[str, int]


def report_counts(*, agreement_id: int, start: date, until: date) -> ReportCounts:
    """The programme's complaints over [start, until), counted from the days recorded with
    them (never their present status), in one query:

    - received: received on a day of the period;
    - answered: answered on a day of the period; in time when on or before the deadline;
    - overdue: at the period's last day, received, not answered by then, and past the
      deadline (answered later, it still counts as overdue for this period);
    - by kind: the received ones, by kind.
    """
    last = until - timedelta(days=1)
    received = Q(received_on__gte=start, received_on__lt=until)
    answered = Q(answered_on__gte=start, answered_on__lt=until)
    unanswered_then = Q(answered_on__isnull=True) | Q(answered_on__gt=last)
    counts = {
        "received": Count("pk", filter=received),
        "answered": Count("pk", filter=answered),
        "in_time": Count("pk", filter=answered & Q(answered_on__lte=F("deadline"))),
        # The deadline is never before the day received, so this one was received by then.
        "overdue": Count("pk", filter=Q(deadline__lt=last) & unanswered_then),
        **{f"kind_{kind}": Count("pk", filter=received & Q(kind=kind)) for kind in Kind.values},
    }
    row = Complaint.objects.filter(facility__agreement_id=agreement_id).aggregate(**counts)
    return ReportCounts(
        received=row["received"],
        answered=row["answered"],
        answered_in_time=row["in_time"],
        answered_late=row["answered"] - row["in_time"],
        overdue=row["overdue"],
        by_kind={kind: row[f"kind_{kind}"] for kind in Kind.values},
    )
