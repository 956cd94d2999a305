"""Every page and endpoint a role may open costs at most ten queries (docs/benchmark.md), the
fixed cost of a signed-in request included, with the route policy's own seeded data.

Each route is opened twice by each role that may see it; the second visit is counted (the first
notes the purpose of reading a person's record in the session, and fills the per-process copy of
the rules' wordings, as any earlier page of the session would have). A page over the budget that
cannot come down yet is listed in KNOWN_OVER with its count and the reason, so that it cannot
grow; one that came down must leave the list.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from program.core.policy import ROUTES
from tests.core.test_route_policy import (  # noqa: F401 (the route walk's seeded data)
    PERSONAS,
    _get_routes,
    route_args,
)
from transfers.models import TransferCase

BUDGET = 10

_REPORT = (
    "one query per figure of the programme report (13 figures, transfers/report/figures.py, "
    "and since the host-facility apps merged their own: incidents, complaints, visits, "
    "inspections and handover, each a query of its own in its app's selectors): the cut is the "
    "figures' counts in one statement"
)
_OCCUPANCY = (
    "the occupancy dashboard's roll, chart, alerts and breaches each read apart "
    "(program/cells, pinned at 13 in tests/cells/test_occupancy_pages.py)"
)
_CASE_HISTORY = (
    "the case file's history reads the case's change events and then one query per part of "
    "the file (decisions, opinions, documents, seats, release preparation) in program/audit's "
    "history_of: the cut is one UNION over the event tables"
)


def _over(route: str, why: str, **by_role: int) -> dict[tuple[str, str], tuple[int, str]]:
    return {(route, role): (count, why) for role, count in by_role.items()}


# (route, role) -> (queries counted, why it is over the budget): pinned so that none grows; a
# role's count differs by the header's work-queue count (the roles that have one pay a query).
KNOWN_OVER: dict[tuple[str, str], tuple[int, str]] = {
    **_over(
        "reports:programme",
        _REPORT,
        caseworker=23,
        finance_officer=22,
        finance_approver=23,
        occupancy_admin=23,
        auditor=22,
    ),
    **_over(
        "reports:programme-export",
        _REPORT,
        caseworker=22,
        finance_officer=22,
        finance_approver=22,
        occupancy_admin=22,
        auditor=22,
    ),
    **_over(
        "api:programme-report",
        _REPORT,
        caseworker=22,
        finance_officer=22,
        finance_approver=22,
        occupancy_admin=22,
        auditor=22,
    ),
    **_over(
        "cells:occupancy",
        _OCCUPANCY,
        caseworker=13,
        finance_officer=12,
        finance_approver=13,
        occupancy_admin=13,
        auditor=12,
    ),
    **_over("transfers:case-history", _CASE_HISTORY, caseworker=14, occupancy_admin=14, auditor=13),
}


def _tell_purpose(client, route_args) -> None:  # noqa: F811 (the fixture's value)
    """Say why the role opens the two people of the seeded data, as a user does once a
    session (roles that may not read them are refused; nothing else changes)."""
    inmate_id = route_args["inmates:detail"][0]
    case = TransferCase.objects.get(pk=route_args["transfers:case-detail"][0])
    for subject_id in {inmate_id, case.inmate_id}:
        client.post(
            reverse("audit:purpose"),
            {
                "subject_type": "inmate",
                "subject_id": subject_id,
                "next": reverse("home"),
                "purpose": "occupancy",
            },
        )


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_every_page_a_role_may_open_costs_ten_queries_at_most(
    who,
    persona,
    route_args,  # noqa: F811 (the fixture imported above)
) -> None:
    client = persona(who)
    _tell_purpose(client, route_args)
    counts: dict[str, int] = {}
    for name, url in _get_routes(route_args):
        access = ROUTES[name]
        if name == "login" or access.public:
            continue
        if not (access.any_signed_in or who in access.roles):
            continue
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, f"{who} should reach {name}: {response.status_code}"
        counts[name] = len(captured.captured_queries)
    over = {
        name: n for name, n in counts.items() if n > KNOWN_OVER.get((name, who), (BUDGET, ""))[0]
    }
    assert over == {}, f"{who}: over {BUDGET} queries (or over a known exception): {over}"
    came_down = sorted(
        name
        for (name, role), (pinned, _why) in KNOWN_OVER.items()
        if role == who and name in counts and counts[name] < pinned
    )
    assert came_down == [], f"{who}: lower the pins of (or drop) {came_down}: {counts}"
