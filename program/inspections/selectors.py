"""Reads of inspections, findings and promised actions, shaped for the pages, the API, the work
queue, finance's tranche conditions and the programme report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from program.inspections.models import PENDING, Finding, FindingAction, Inspection


def inspection_list() -> QuerySet[Inspection]:
    """Every inspection with its body and facility, and how many findings and pending actions
    it has (counted in the same query)."""
    return Inspection.objects.select_related("body", "facility").annotate(
        finding_count=Count("findings", distinct=True),
        pending_action_count=Count(
            "findings__actions", filter=Q(findings__actions__status__in=PENDING), distinct=True
        ),
    )


def _actions() -> Prefetch[Any]:
    return Prefetch("actions", queryset=FindingAction.objects.order_by("deadline", "pk"))


def inspection_detail_queryset() -> QuerySet[Inspection]:
    return Inspection.objects.select_related("body", "facility", "recorded_by").prefetch_related(
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("unit", "cell__unit")
            .prefetch_related(_actions())
            .order_by("pk"),
        )
    )


def finding_list() -> QuerySet[Finding]:
    return Finding.objects.select_related(
        "inspection__body", "inspection__facility", "unit", "cell__unit"
    ).prefetch_related(_actions())


def finding_detail_queryset() -> QuerySet[Finding]:
    return finding_list().select_related("person", "recorded_by")


def overdue_actions(today: date) -> QuerySet[FindingAction]:
    """Actions still pending whose deadline has passed, the longest overdue first."""
    return (
        FindingAction.objects.filter(status__in=PENDING, deadline__lt=today)
        .select_related("finding__inspection__body", "finding__inspection__facility")
        .order_by("deadline", "pk")
    )


@dataclass(frozen=True)
class FindingSummary:
    """What finance staff may know of a finding that holds back a payment: no text, no person."""

    pk: int
    title: str
    status: str
    status_label: str
    pending: list[FindingAction]

    @property
    def closed(self) -> bool:
        return self.status == Finding.Status.CLOSED


def finding_summary(finding: Finding) -> FindingSummary:
    return FindingSummary(
        pk=finding.pk,
        title=finding.title,
        status=finding.status,
        status_label=finding.get_status_display(),
        pending=[a for a in finding.actions.all() if a.status != FindingAction.Status.DONE],
    )


def findings_for_agreement(agreement_id: int) -> QuerySet[Finding]:
    """The findings of inspections at an agreement's facilities that are not yet closed (what a
    tranche of that agreement may be made to wait for), newest inspection first."""
    pending = FindingAction.objects.filter(finding=OuterRef("pk")).exclude(
        status=FindingAction.Status.DONE
    )
    any_action = FindingAction.objects.filter(finding=OuterRef("pk"))
    return (
        Finding.objects.filter(inspection__facility__agreement_id=agreement_id)
        .filter(Exists(pending) | ~Exists(any_action))
        .select_related("inspection__body")
        .order_by("-inspection__starts_on", "pk")
    )


# --- The programme report ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportCounts:
    inspections: int
    unannounced: int
    findings: int
    open_findings: int
    pending_actions: int
    overdue_actions: int


_REPORT_SQL = """
WITH visits AS (
    SELECT i.id, i.kind, i.starts_on
    FROM inspections_inspection i JOIN cells_facility f ON f.id = i.facility_id
    WHERE f.agreement_id = %(agreement)s
),
findings AS (
    SELECT fi.id, fi.created_at, v.starts_on
    FROM inspections_finding fi JOIN visits v ON v.id = fi.inspection_id
),
pending AS (
    SELECT a.finding_id, a.deadline
    FROM inspections_findingaction a JOIN findings fi ON fi.id = a.finding_id
    WHERE (a.created_at AT TIME ZONE %(tz)s)::date <= %(last)s
      AND (a.status IN ('open', 'in_progress')
           OR (a.status = 'done' AND a.done_on > %(last)s)
           OR (a.status = 'not_accepted' AND (a.updated_at AT TIME ZONE %(tz)s)::date > %(last)s))
)
SELECT
    (SELECT count(*) FROM visits WHERE starts_on BETWEEN %(start)s AND %(last)s),
    (SELECT count(*) FROM visits
     WHERE starts_on BETWEEN %(start)s AND %(last)s AND kind = 'unannounced'),
    (SELECT count(*) FROM findings WHERE starts_on BETWEEN %(start)s AND %(last)s),
    (SELECT count(DISTINCT finding_id) FROM pending)
    + (SELECT count(*) FROM findings fi
       WHERE (fi.created_at AT TIME ZONE %(tz)s)::date <= %(last)s
         AND NOT EXISTS (
             SELECT 1 FROM inspections_findingaction a
             WHERE a.finding_id = fi.id AND (a.created_at AT TIME ZONE %(tz)s)::date <= %(last)s
         )),
    (SELECT count(*) FROM pending),
    (SELECT count(*) FROM pending WHERE deadline < %(last)s)
"""


def report_counts(*, agreement_id: int, start: date, until: date) -> ReportCounts:
    """For a programme and the days [start, until), in one query: the inspections that began in
    them (unannounced ones among them) and the findings those inspections made; and, as at the
    last day, the findings not closed then and the actions still pending then, overdue ones
    among them. An action done after the last day (by its day done) or refused after it (by the
    day that was recorded) counts as pending then, so later work does not change a past period."""
    last = until - timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            _REPORT_SQL,
            {
                "agreement": agreement_id,
                "start": start,
                "last": last,
                "tz": settings.TIME_ZONE,
            },
        )
        row = cursor.fetchone()
    return ReportCounts(*(int(value) for value in row))
