"""Requesting, booking and closing visits: the booking rule (one person, one visit at a time)
held by the service and by PostgreSQL, the outcomes and their reasons, and who may act."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.visits import services
from program.visits.models import Visit, Visitor
from tests.visits.conftest import at

pytestmark = pytest.mark.django_db


def test_a_request_records_the_visitors_and_the_interpreter(inmate, carla, facility):
    visit = services.visit_request(
        inmate=inmate,
        facility=facility,
        kind=Visit.Kind.IN_PERSON,
        requested_by=Visit.RequestedBy.INMATE,
        interpreter_needed=True,
        interpreter_language="Albanian",
        visitors=[
            services.VisitorInput(name="Arta", relation="partner"),
            services.VisitorInput(name="Dion", relation="child", age_group="6_11"),
        ],
        actor=carla,
    )
    assert visit.status == Visit.Status.REQUESTED
    assert visit.interpreter_language == "Albanian"
    assert [(v.relation, v.age_group) for v in visit.visitors.all()] == [
        ("partner", ""),
        ("child", "6_11"),
    ]


def test_a_child_without_an_age_group_is_refused_and_nothing_is_written(inmate, carla, facility):
    with pytest.raises(ApplicationError, match="child's age group"):
        services.visit_request(
            inmate=inmate,
            facility=facility,
            kind=Visit.Kind.IN_PERSON,
            requested_by=Visit.RequestedBy.RELATIVE,
            visitors=[services.VisitorInput(name="Dion", relation="child")],
            actor=carla,
        )
    assert not Visit.objects.exists()


def test_an_interpreter_needs_a_language(inmate, carla, facility):
    with pytest.raises(ApplicationError, match="which language"):
        services.visit_request(
            inmate=inmate,
            facility=facility,
            kind=Visit.Kind.VIDEO,
            requested_by=Visit.RequestedBy.RELATIVE,
            interpreter_needed=True,
            visitors=[services.VisitorInput(name="Arta", relation="partner")],
            actor=carla,
        )


def test_a_caseworker_requests_only_for_their_own_cases(make_user, inmate, facility):
    other = make_user("olga", "caseworker")
    with pytest.raises(ApplicationError, match="not yours"):
        services.visit_request(
            inmate=inmate,
            facility=facility,
            kind=Visit.Kind.VIDEO,
            requested_by=Visit.RequestedBy.RELATIVE,
            visitors=[services.VisitorInput(name="Arta", relation="partner")],
            actor=other,
        )


def test_host_staff_book_at_their_facility(make_visit, inmate, arben):
    visit = make_visit(inmate)
    booked = services.visit_book(
        visit=visit, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben, expected_version=1
    )
    assert booked.status == Visit.Status.BOOKED
    assert booked.booked_by == arben
    assert booked.version == 2


def test_host_staff_of_another_facility_may_not_book(make_visit, inmate, make_user, other_facility):
    from program.host.models import StaffPosting

    stranger = make_user("valon", "host_officer")
    StaffPosting.objects.create(user=stranger, facility=other_facility)
    visit = make_visit(inmate)
    with pytest.raises(ApplicationError, match="not yours"):
        services.visit_book(visit=visit, starts_at=at(3, 10), ends_at=at(3, 12), actor=stranger)


def test_a_caseworker_may_not_book(make_visit, inmate, carla):
    visit = make_visit(inmate)
    with pytest.raises(ApplicationError, match="may not book"):
        services.visit_book(visit=visit, starts_at=at(3, 10), ends_at=at(3, 12), actor=carla)


def test_the_same_person_is_never_booked_twice_at_the_same_time(make_visit, inmate, arben):
    first = make_visit(inmate)
    second = make_visit(inmate, kind=Visit.Kind.VIDEO)
    services.visit_book(visit=first, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    with pytest.raises(ConflictError, match=r"already has a visit booked .* 10:00 to 12:00"):
        services.visit_book(visit=second, starts_at=at(3, 11), ends_at=at(3, 13), actor=arben)
    second.refresh_from_db()
    assert second.status == Visit.Status.REQUESTED


def test_back_to_back_visits_do_not_clash(make_visit, inmate, arben):
    first = make_visit(inmate)
    second = make_visit(inmate)
    services.visit_book(visit=first, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    booked = services.visit_book(visit=second, starts_at=at(3, 12), ends_at=at(3, 13), actor=arben)
    assert booked.status == Visit.Status.BOOKED


def test_postgresql_refuses_a_double_booking_the_service_never_saw(make_visit, inmate, arben):
    first = make_visit(inmate)
    second = make_visit(inmate)
    services.visit_book(visit=first, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    with (
        pytest.raises(IntegrityError, match="visit_inmate_no_double_booking"),
        transaction.atomic(),
    ):
        Visit.objects.filter(pk=second.pk).update(
            status="booked", starts_at=at(3, 11), ends_at=at(3, 12), booked_by=arben
        )


def test_a_cancelled_visit_frees_its_time(make_visit, inmate, arben, carla):
    first = make_visit(inmate)
    second = make_visit(inmate)
    services.visit_book(visit=first, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    services.visit_record_outcome(
        visit=first, outcome="cancelled", reason="The family's flight was cancelled", actor=carla
    )
    booked = services.visit_book(visit=second, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    assert booked.status == Visit.Status.BOOKED


def test_the_end_must_follow_the_start(make_visit, inmate, arben):
    visit = make_visit(inmate)
    with pytest.raises(ApplicationError, match="end after it starts"):
        services.visit_book(visit=visit, starts_at=at(3, 12), ends_at=at(3, 10), actor=arben)


def test_a_stale_version_is_refused(make_visit, inmate, arben):
    visit = make_visit(inmate)
    services.visit_book(visit=visit, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)
    with pytest.raises(PreconditionFailedError, match="changed this visit"):
        services.visit_book(
            visit=visit, starts_at=at(4, 10), ends_at=at(4, 12), actor=arben, expected_version=1
        )


def test_a_visit_took_place_only_once_it_has_begun(make_visit, inmate, arben):
    visit = make_visit(inmate)
    services.visit_book(visit=visit, starts_at=at(1, 10), ends_at=at(1, 12), actor=arben)
    with pytest.raises(ConflictError, match="not begun"):
        services.visit_record_outcome(visit=visit, outcome="took_place", actor=arben)
    with time_machine.travel(at(1, 11) + timedelta(minutes=1)):
        held = services.visit_record_outcome(visit=visit, outcome="took_place", actor=arben)
    assert held.status == Visit.Status.TOOK_PLACE


def test_a_refusal_needs_its_reason(make_visit, inmate, arben):
    visit = make_visit(inmate)
    with pytest.raises(ApplicationError, match="Say why"):
        services.visit_record_outcome(visit=visit, outcome="refused", reason=" ", actor=arben)
    refused = services.visit_record_outcome(
        visit=visit, outcome="refused", reason="The inmate declined the visit", actor=arben
    )
    assert refused.outcome_reason == "The inmate declined the visit"


def test_a_closed_visit_does_not_move_again(make_visit, inmate, arben):
    visit = make_visit(inmate)
    services.visit_record_outcome(visit=visit, outcome="refused", reason="Declined", actor=arben)
    with pytest.raises(ConflictError, match="refused and cannot be booked"):
        services.visit_book(visit=visit, starts_at=at(3, 10), ends_at=at(3, 12), actor=arben)


def test_the_database_keeps_a_childs_age_group(make_visit, inmate):
    visit = make_visit(inmate)
    with pytest.raises(IntegrityError, match="visitor_child_has_age_group"), transaction.atomic():
        Visitor.objects.create(visit=visit, name="Dion", relation="child", age_group="")
