"""The work queues behind the home page's "Waiting for you" and the navigation's counts."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from program.cells import queues as cell_queues
from program.cells import services as cell_services
from program.core import work_queues
from program.core.roles import Role, user_roles
from program.inmates.models import Inmate
from program.notifications.models import Notification
from tests.factories import CellFactory, PlaceFactory, UnitFactory
from tests.finance.helpers import first_rent, invoiced, scheduled, user

pytestmark = pytest.mark.django_db


def _request(person):
    request = RequestFactory().get("/")
    request.user = person
    user_roles(person)  # read once per request by the role middleware, before any page
    return request


def test_every_header_count_of_an_approver_is_one_query_taken_once_per_request(
    django_assert_num_queries,
) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    invoiced(first_rent(scheduled()))
    request = _request(anders)
    # One SELECT of scalar subqueries: the approval queue and the unread notifications.
    with django_assert_num_queries(1):
        counts = work_queues.request_counts(request)
        work_queues.nav_counts(request)
        work_queues.request_counts(request)
    # Told of the tranches that fell due, and that one waits for approval.
    unread = Notification.objects.filter(recipient=anders, read_at__isnull=True).count()
    assert counts == {"tranches_awaiting_my_approval": 1, "unread_notifications": unread}
    assert unread > 1
    assert work_queues.nav_counts(request) == {"finance:dashboard": 1}


def test_a_user_without_a_role_costs_no_query(make_user, django_assert_num_queries) -> None:
    request = _request(make_user("stan"))
    with django_assert_num_queries(0):
        assert work_queues.request_counts(request) == {}


def test_each_role_has_its_own_queues() -> None:
    keys = {q.key for q in work_queues.queues_for(frozenset({Role.OCCUPANCY_ADMIN}))}
    assert keys == {"arrivals_today", "overdue_reservations", "inspection_actions_overdue"}
    # The complaints app adds the answers due to the caseworker's queues.
    keys = {q.key for q in work_queues.queues_for(frozenset({Role.CASEWORKER}))}
    assert keys == {"cases_needing_my_action", "complaint_answers_due"}
    assert work_queues.queues_for(frozenset({Role.AUDITOR})) == []


def _person(case_number: str) -> Inmate:
    return Inmate.objects.create(
        case_number=case_number,
        name="Test Person",
        date_of_birth=date(1985, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )


def test_arrivals_today_and_reservations_past_their_day(occupancy_admin) -> None:
    unit = UnitFactory(code="A", name="Unit A")
    places = [PlaceFactory(cell=CellFactory(unit=unit, number=f"A-10{n}")) for n in range(4)]
    today = timezone.localdate()
    for n, arrival in enumerate([today, today - timedelta(days=3), today + timedelta(days=5)]):
        cell_services.reservation_create(
            inmate=_person(f"KF-{n}"),
            place=places[n],
            arrival_on=arrival,
            reason="Booked",
            actor=None,
        )
    cancelled = cell_services.reservation_create(
        inmate=_person("KF-9"),
        place=places[3],
        arrival_on=today - timedelta(days=1),
        reason="Booked",
        actor=None,
    )
    cell_services.reservation_cancel(reservation=cancelled, reason="Not coming", actor=None)
    assert [p.place_id for p in cell_queues.arrivals_today()] == [places[0].pk]
    assert [p.place_id for p in cell_queues.overdue_reservations()] == [places[1].pk]
    body = occupancy_admin.get("/").content.decode()
    overdue = body[body.index('data-testid="queue-overdue_reservations"') :]
    assert "Place A-101-1" in overdue
    assert "arrival was expected on" in overdue
    assert 'class="app-overdue"' in overdue
    assert "Test Person" not in body  # the home page names no one


def test_a_role_with_nothing_waiting_is_told_so(finance_approver) -> None:
    body = finance_approver.get("/").content.decode()
    assert "No tranche waits for your approval." in body
    assert 'data-testid="nav-count"' not in body


def test_the_unread_count_rides_on_the_same_query(make_user, django_assert_num_queries) -> None:
    otto = make_user("otto", Role.OCCUPANCY_ADMIN)
    Notification.objects.create(
        recipient=otto,
        kind=Notification.Kind.WAITING,
        text="x",
        subject_type="case",
        subject_id="1",
    )
    request = _request(otto)
    with django_assert_num_queries(1):
        counts = work_queues.request_counts(request)
    assert counts == {
        "arrivals_today": 0,
        "overdue_reservations": 0,
        "inspection_actions_overdue": 0,
        "unread_notifications": 1,
    }
