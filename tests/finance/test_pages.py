import pytest
from django.urls import reverse

from finance.models import Tranche
from tests.finance.helpers import first_rent, paid, scheduled

pytestmark = pytest.mark.django_db

PAGES = ["finance:dashboard", "finance:schedule"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("finance_officer", 200),
        ("finance_approver", 200),
        ("auditor", 200),
        ("caseworker", 403),
        ("occupancy_admin", 403),
        ("stranger", 403),
    ],
)
def test_only_finance_readers_see_the_finance_pages(persona, name, persona_name, status) -> None:
    assert persona(persona_name).get(reverse(name)).status_code == status


def test_the_dashboard_shows_streams_apart_and_together_and_the_paid_total(finance_officer) -> None:
    terms = scheduled()
    body = finance_officer.get(reverse("finance:dashboard")).content.decode()
    assert "EUR 150,000,000.00" in body
    assert "EUR 5,000,000.00" in body
    assert "EUR 60,000,000.00" in body
    assert "EUR 215,000,000.00" in body
    assert "<svg" in body
    paid(first_rent(terms))
    body = finance_officer.get(reverse("finance:dashboard")).content.decode()
    assert 'data-testid="paid-2026">EUR 3,750,000.00' in body


def test_the_schedule_filters_by_stream_status_and_year(finance_officer) -> None:
    scheduled()
    response = finance_officer.get(
        reverse("finance:schedule"), {"stream": "rent", "status": "planned", "year": "2027"}
    )
    assert len(response.context["tranches"]) == 4
    body = response.content.decode()
    assert 'data-testid="status-planned"' in body


def test_the_tranche_page_shows_approvals_payment_and_timeline(auditor) -> None:
    tranche = paid(first_rent(scheduled()), "DK-77")
    body = auditor.get(reverse("finance:tranche-detail", args=[tranche.pk])).content.decode()
    assert "DK-77" in body
    assert "DKK 27,975,000.00" in body
    assert body.count("Approved at level") == 2


@pytest.mark.parametrize("agreements", [1, 3])
def test_dashboard_query_count(finance_approver, django_assert_num_queries, agreements) -> None:
    for _ in range(agreements):
        scheduled()
    # session, user (with its roles and unread count), the programmes for the filter, the user's
    # programme, totals by year, totals by stream, the header's work-queue count (an approver),
    # next tranches (with agreement, aid)
    with django_assert_num_queries(8):
        assert finance_approver.get(reverse("finance:dashboard")).status_code == 200


@pytest.mark.parametrize("agreements", [1, 3])
def test_schedule_query_count(finance_officer, django_assert_num_queries, agreements) -> None:
    for _ in range(agreements):
        scheduled()
    assert Tranche.objects.count() == 81 * agreements
    # session, user (with its roles and unread count), the programmes for the filter, the user's
    # programme, the terms the officer's generate form offers, the tranches with agreement and
    # aid stream joined in (an officer has no work queue in the header)
    with django_assert_num_queries(6):
        assert finance_officer.get(reverse("finance:schedule")).status_code == 200


@pytest.mark.parametrize("events", [False, True])
def test_tranche_page_query_count(auditor, django_assert_num_queries, events) -> None:
    tranche = first_rent(scheduled())
    if events:
        tranche = paid(tranche)
    # session, user (with its roles and unread count), tranche with agreement, aid stream,
    # preparer, decider and payment; conditions, approvals, events (each with its person joined
    # in); the history is the History tab's own request, below
    with django_assert_num_queries(6):
        response = auditor.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("events", [False, True])
def test_tranche_history_query_count(auditor, django_assert_max_num_queries, events) -> None:
    tranche = first_rent(scheduled())
    if events:
        tranche = paid(tranche)
    # session, user, roles, tranche; its changes, its conditions', approvals' and payment's;
    # the agreement and, once anyone has acted, the people the snapshots name: one query per
    # kind of record named, however many rows
    with django_assert_max_num_queries(10):
        response = auditor.get(
            reverse("finance:tranche-history", args=[tranche.pk]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200
