"""The seams between the case, its eligibility, its place and its transport.

Each test below first reproduced a hole a tester found (named in its docstring), and passes now.
The guards are tested on each path that reaches them: the service, the case page, the API, the
bulk (whole transport) actions and the Celery task that screens.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from django.utils import timezone

from program.cells.models import Placement
from program.core.errors import ConflictError
from program.inmates.models import Inmate
from tests.factories import PlaceFactory, handover_ready
from tests.inmates.factories import PlacementFactory
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import case_in
from tests.transfers.helpers import S, advance, batch, upload
from transfers import services, tasks
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    EligibilityRuleParameter,
    ManifestEntry,
    Screening,
    TransferCase,
)

TODAY = timezone.localdate


@pytest.fixture
def case(eligible_inmate, carla, place) -> TransferCase:
    return services.case_open(inmate=eligible_inmate, actor=carla)


def _etag(client, case) -> str:
    return client.get(reverse("api:transfer-case-detail", args=[case.pk]))["ETag"]


def _disorder(case: TransferCase) -> None:
    """The facts change: a serious mental disorder needing treatment outside prison (E8)."""
    Inmate.objects.filter(pk=case.inmate_id).update(serious_mental_disorder=True)


def _age_screenings(case: TransferCase, days: int = 40) -> None:
    Screening.objects.filter(inmate_id=case.inmate_id).update(
        screened_on=TODAY() - timedelta(days=days)
    )


def _check_constraints_now() -> None:
    """Run the deferred database checks now, as a commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- Hole 1: a hard rule failed at the last screening, every step was accepted ----------------


def test_a_failed_newest_screening_stops_the_decision_with_the_rules_reason(
    case, carla, otto
) -> None:
    """Hole: E8 failed at the last screening, yet host review → transfer decision passed."""
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    _disorder(case)
    services.sweep_run()  # the nightly sweep stores the changed outcome
    services.opinion_record(
        case=case, stance="agrees", heard_on=TODAY(), language="Arabic", actor=carla
    )
    upload(case, Document.Kind.OPINION_RECORD, carla)
    services.decision_record(
        case=case,
        outcome=Decision.Outcome.TRANSFER,
        authority="KF",
        legal_basis="§ 78",
        decided_on=TODAY(),
        actor=carla,
    )
    with pytest.raises(ConflictError, match="E8") as refused:
        services.case_transition(case=case, to=S.DECIDED_TRANSFER, actor=carla)
    assert "an eligible screening" in refused.value.message
    case.refresh_from_db()
    assert case.state == S.HOST_REVIEW


def test_a_stale_screening_is_repeated_by_the_move_and_a_changed_outcome_stops_it(
    case, carla, otto
) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    _age_screenings(case)
    _disorder(case)
    transport = batch(carla)
    with pytest.raises(ConflictError, match="E8"):
        services.case_schedule(case=case, batch=transport, actor=carla)
    assert not Placement.objects.filter(inmate_id=case.inmate_id).exists()


def test_a_stale_but_still_eligible_screening_is_repeated_and_the_move_goes_on(
    case, carla, otto
) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    _age_screenings(case)
    before = Screening.objects.filter(inmate_id=case.inmate_id).count()
    services.case_schedule(case=case, batch=batch(carla), actor=carla)
    assert case.state == S.SCHEDULED
    assert Screening.objects.filter(inmate_id=case.inmate_id).count() == before + 1
    event = case.events.filter(to_state=S.SCHEDULED).get()
    assert event.payload["rescreened"] is True
    assert Screening.objects.get(pk=event.payload["screening"]).screened_on == TODAY()


def test_the_age_a_screening_stays_current_is_a_rule_parameter(case, carla, otto) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    _age_screenings(case, days=10)
    _disorder(case)
    # Ten days old is current under the default (30): the move goes on without re-screening.
    EligibilityRuleParameter.objects.create(name="screening_max_age_days", value=5)
    with pytest.raises(ConflictError, match="E8"):
        services.case_schedule(case=case, batch=batch(carla), actor=carla)


def test_the_guard_holds_on_the_case_page(caseworker, case, carla, otto) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    _age_screenings(case)
    _disorder(case)
    transport = batch(carla)
    page = caseworker.post(
        reverse("transfers:case-transition", args=[case.pk]),
        {"to": "scheduled", "version": case.version, "batch": transport.pk},
        follow=True,
    ).content.decode()
    assert "E8" in page
    case.refresh_from_db()
    assert case.state == S.NOTIFIED


def test_the_guard_holds_over_the_api(caseworker, case, carla, otto) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    _age_screenings(case)
    _disorder(case)
    transport = batch(carla)
    response = caseworker.post(
        reverse("api:transfer-case-schedule", args=[case.pk]),
        {"batch": transport.pk},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert response.status_code == 409
    assert any("E8" in item for item in response.json()["error"]["details"]["missing"])


def test_the_guard_holds_for_a_whole_transports_departure(case, carla, otto) -> None:
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
    handover_ready(case, carla)
    entry = case.manifest.get()
    _age_screenings(case)
    _disorder(case)
    with pytest.raises(ConflictError, match=f"#{case.pk}: .*E8"):
        services.batch_depart(batch=entry.batch, actor=carla)
    case.refresh_from_db()
    assert case.state == S.SCHEDULED


def test_the_guard_holds_after_the_celery_sweep_stores_a_failed_screening(
    case, carla, otto
) -> None:
    """The nightly task (run through Celery's own apply) records E8; the decision stops."""
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    _disorder(case)
    tasks.eligibility_sweep.apply()
    services.opinion_record(
        case=case, stance="agrees", heard_on=TODAY(), language="Arabic", actor=carla
    )
    upload(case, Document.Kind.OPINION_RECORD, carla)
    _decide(case, carla)
    with pytest.raises(ConflictError, match="E8"):
        services.case_transition(case=case, to=S.DECIDED_TRANSFER, actor=carla)


# --- Hole 2: the appeal let one case jump the window; its outcome was lost once scheduled ------


def test_an_appeal_does_not_let_a_case_be_scheduled_inside_the_window(case, carla, otto) -> None:
    """Hole: lodging an appeal let a case be scheduled at once."""
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    TransferCase.objects.filter(pk=case.pk).update(appeal_deadline=TODAY() + timedelta(days=5))
    case.refresh_from_db()
    services.appeal_lodge(case=case, actor=carla)
    with pytest.raises(ConflictError, match="the end of the appeal window"):
        services.case_schedule(case=case, batch=batch(carla), actor=carla)


def test_an_appeal_lodged_after_booking_holds_the_seat_and_its_outcome_is_recorded(
    case, carla, otto
) -> None:
    """Hole: once scheduled, the appeal's outcome could not be recorded any more."""
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    reservation = Placement.objects.get(pk=case.placement_id)
    lodged = case.appeal_deadline  # in time, recorded late
    services.appeal_lodge(case=case, actor=carla, lodged_on=lodged)
    assert case.state == S.UNDER_APPEAL
    reservation.refresh_from_db()
    assert not reservation.end_reason  # the place waits for the outcome
    assert case.manifest.filter(removed_at__isnull=True).exists()  # and so does the seat
    services.appeal_decide(case=case, outcome="rejected", decided_on=TODAY(), actor=carla)
    assert case.state == S.SCHEDULED  # booked again on the seat it kept
    assert case.placement_id == reservation.pk


def test_an_upheld_appeal_after_booking_frees_the_seat_and_the_place(case, carla, otto) -> None:
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    reservation = Placement.objects.get(pk=case.placement_id)
    services.appeal_lodge(case=case, actor=carla, lodged_on=case.appeal_deadline)
    services.appeal_decide(case=case, outcome="upheld", decided_on=TODAY(), actor=carla)
    assert case.state == S.DECIDED_NO_TRANSFER
    reservation.refresh_from_db()
    assert reservation.end_reason == Placement.EndReason.CANCELLED
    assert not case.manifest.filter(removed_at__isnull=True).exists()


def test_a_non_suspending_appeal_still_open_is_decided_while_scheduled(case, carla, otto) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    TransferCase.objects.filter(pk=case.pk).update(appeal_lodged_on=case.appeal_deadline)
    TransferCase.objects.filter(pk=case.pk).update(state=S.UNDER_APPEAL)
    case.refresh_from_db()
    services.case_schedule(case=case, batch=batch(carla), actor=carla)  # the window is over
    assert case.state == S.SCHEDULED
    services.appeal_decide(case=case, outcome="upheld", decided_on=TODAY(), actor=carla)
    assert case.state == S.DECIDED_NO_TRANSFER


# --- Hole 3: a decision before the opinion, and a second decision beside the first -------------


def _decide(case, carla, outcome=Decision.Outcome.TRANSFER, **extra) -> Decision:
    return services.decision_record(
        case=case,
        outcome=outcome,
        authority="KF",
        legal_basis="§ 78",
        decided_on=TODAY(),
        actor=carla,
        **extra,
    )


def test_no_decision_before_the_inmates_opinion(case, carla, otto) -> None:
    """Hole: a decision was accepted before the inmate's opinion."""
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    with pytest.raises(ConflictError, match="opinion before the decision"):
        _decide(case, carla)
    assert not Decision.objects.exists()


def test_one_decision_in_force_a_later_one_supersedes_it_with_a_reason(case, carla, otto) -> None:
    """Hole: a second decision was added beside the first."""
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    services.opinion_record(
        case=case, stance="objects", heard_on=TODAY(), language="Arabic", actor=carla
    )
    first = _decide(case, carla, Decision.Outcome.NO_TRANSFER)
    with pytest.raises(ConflictError, match="say why it is superseded"):
        _decide(case, carla)
    second = _decide(case, carla, supersedes_reason="The host state reconsidered")
    first.refresh_from_db()
    assert first.superseded_reason == "The host state reconsidered"
    assert list(Decision.objects.filter(superseded_at__isnull=True)) == [second]
    assert case.events.filter(kind=CaseEvent.Kind.SUPERSEDED).count() == 1
    # The database refuses two in force, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=first.pk).update(superseded_at=None)


# --- Hole 4: places given and taken without the case -------------------------------------------


def test_the_unit_page_refuses_to_admit_a_person_whose_case_is_only_identified(
    occupancy_admin, case, place
) -> None:
    """Hole: an identified case's person was admitted straight into a place."""
    response = occupancy_admin.post(
        reverse("cells:place-admit", args=[place.pk]),
        {"inmate": case.inmate.case_number, "on": TODAY().isoformat(), "reason": "arrival"},
    )
    assert response.status_code == 409
    assert "is Identified" in response.content.decode()
    assert not Placement.objects.filter(inmate_id=case.inmate_id).exists()


def test_the_placements_api_refuses_to_admit_outside_the_case(occupancy_admin, case, place) -> None:
    response = occupancy_admin.post(
        reverse("api:placement-admit"),
        {"inmate": case.inmate_id, "place": place.pk, "on": TODAY().isoformat(), "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["details"]["needs"] == S.IN_TRANSIT


def test_the_placements_api_refuses_a_deportation_while_the_case_serves(
    occupancy_admin, case, carla, otto
) -> None:
    """Hole: a serving inmate released as deported through the API; the case still serving."""
    advance(case, S.SERVING, carla=carla, otto=otto)
    response = occupancy_admin.post(
        reverse("api:placement-release", args=[case.placement_id]),
        {"on": (TODAY() + timedelta(days=1)).isoformat(), "end_reason": "deported"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "Release preparation" in response.json()["error"]["message"]
    placement = Placement.objects.get(pk=case.placement_id)
    assert not placement.end_reason
    case.refresh_from_db()
    assert case.state == S.SERVING


def test_a_release_on_the_unit_page_performs_the_cases_move(
    occupancy_admin, case, carla, otto
) -> None:
    advance(case, S.SERVING, carla=carla, otto=otto)
    services.case_transition(case=case, to=S.RELEASE_PREP, actor=carla)
    leave = TODAY() + timedelta(days=1)
    response = occupancy_admin.post(
        reverse("cells:placement-release", args=[case.placement_id]),
        {"on": leave.isoformat(), "end_reason": "released", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.state == S.RELEASED_NOT_REMOVABLE
    placement = Placement.objects.get(pk=case.placement_id)
    assert (placement.end_reason, placement.period.upper) == ("released", leave)


def test_the_database_refuses_a_place_for_a_person_whose_case_does_not_allow_it(case) -> None:
    """No path around the services: a direct write is refused when the transaction commits."""
    PlacementFactory(inmate=case.inmate)
    with pytest.raises(IntegrityError, match="stay_matches_case"):
        _check_constraints_now()


def test_the_database_refuses_a_serving_case_without_its_placement(case, carla, otto) -> None:
    advance(case, S.SERVING, carla=carla, otto=otto)
    Placement.objects.filter(pk=case.placement_id).update(
        period=DateRange(TODAY() - timedelta(days=1), TODAY()), end_reason="deported"
    )
    with pytest.raises(IntegrityError, match="serving but holds no placement"):
        _check_constraints_now()


# --- Hole 5: dates, rebooking, whole transports -------------------------------------------------


def test_in_transit_is_not_accepted_before_the_transports_departure(case, carla, otto) -> None:
    """Hole: "in transit" was accepted a week before the departure."""
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    services.case_schedule(
        case=case, batch=batch(carla, departs_on=TODAY() + timedelta(days=7)), actor=carla
    )
    upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
    handover_ready(case, carla)
    with pytest.raises(ConflictError, match="the transport's departure on"):
        services.case_depart(case=case, actor=carla)
    assert case.state == S.SCHEDULED


def _left_days_ago(case: TransferCase, days: int) -> None:
    """The case's transport left `days` ago (booked back then): its seat and reservation too."""
    entry = case.manifest.get(removed_at__isnull=True)
    left = TODAY() - timedelta(days=days)
    type(entry.batch).objects.filter(pk=entry.batch_id).update(departs_on=left)
    Placement.objects.filter(pk=entry.placement_id).update(period=DateRange(left, None, "[)"))


def test_admission_is_dated_the_day_of_arrival(case, carla, otto) -> None:
    """Hole: admitted dated the stay from the departure day; today's roll showed it free."""
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
    handover_ready(case, carla)
    _left_days_ago(case, 3)
    services.case_depart(case=case, actor=carla, on=TODAY() - timedelta(days=3))
    services.case_admit(case=case, actor=otto)
    assert case.state == S.SERVING
    placement = Placement.objects.get(pk=case.placement_id)
    assert placement.kind == Placement.Kind.PLACEMENT
    assert placement.period.lower == TODAY()


def test_a_case_is_not_booked_on_a_transport_that_left(case, carla, otto) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    with pytest.raises(ConflictError, match="has not left yet"):
        services.case_schedule(
            case=case, batch=batch(carla, departs_on=TODAY() - timedelta(days=3)), actor=carla
        )


def test_rebooking_moves_the_seat_and_the_reservation(case, carla, otto) -> None:
    """Hole: rebooking onto another transport answered 200 and changed nothing."""
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    old_entry = case.manifest.get()
    later = batch(carla, departs_on=TODAY() + timedelta(days=14))
    services.case_rebook(case=case, batch=later, actor=carla)
    old_entry.refresh_from_db()
    assert old_entry.removed_at is not None
    assert old_entry.placement.end_reason == Placement.EndReason.CANCELLED
    entry = case.manifest.get(removed_at__isnull=True)
    assert entry.batch == later
    assert entry.placement.period.lower == later.departs_on
    assert case.placement_id == entry.placement_id


def test_rebooking_onto_a_full_transport_is_refused_and_changes_nothing(case, carla, otto) -> None:
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    before = case.manifest.get()
    full = batch(carla, departs_on=TODAY() + timedelta(days=14), seats=1)
    someone = case_in(S.SCHEDULED, caseworker=carla)
    ManifestEntry.objects.create(batch=full, case=someone, added_by=carla)
    with pytest.raises(ConflictError, match="a free seat"):
        services.case_rebook(case=case, batch=full, actor=carla)
    with pytest.raises(ConflictError, match="already booked"):
        services.case_rebook(case=case, batch=before.batch, actor=carla)
    before.refresh_from_db()
    assert before.removed_at is None
    assert not before.placement.end_reason


def test_a_whole_transport_departs_and_arrives_with_exceptions(carla, otto) -> None:
    cases = [services.case_open(inmate=make_eligible_inmate(), actor=carla) for _n in range(3)]
    for _n in range(3):
        PlaceFactory()
    transport = batch(carla)
    for case in cases:
        advance(case, S.NOTIFIED, carla=carla, otto=otto)
        services.case_schedule(case=case, batch=transport, actor=carla)
        upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
        handover_ready(case, carla)
    stays_home = cases[2]
    result = services.batch_depart(batch=transport, actor=carla, did_not_travel=[stays_home.pk])
    assert sorted(result.moved) == sorted(case.pk for case in cases[:2])
    for case in cases:
        case.refresh_from_db()
    assert [case.state for case in cases] == [S.IN_TRANSIT, S.IN_TRANSIT, S.SCHEDULED]
    refused = cases[1]
    services.batch_arrive(batch=transport, actor=otto, refused_at_gate={refused.pk: "gate_refusal"})
    for case in cases:
        case.refresh_from_db()
    assert [case.state for case in cases] == [S.SERVING, S.RETURNED, S.SCHEDULED]
    assert Placement.objects.get(pk=cases[0].placement_id).period.lower == TODAY()
    assert Placement.objects.get(pk=refused.placement_id).end_reason == "cancelled"
    _check_constraints_now()


def test_a_whole_transports_arrival_over_the_api_and_the_expected_arrivals_page(
    occupancy_admin, case, carla, otto
) -> None:
    advance(case, S.IN_TRANSIT, carla=carla, otto=otto)
    transport = case.manifest.get().batch
    page = occupancy_admin.get(reverse("transfers:expected-arrivals"))
    assert f"#{case.pk}" in page.content.decode()
    response = occupancy_admin.post(
        reverse("api:transport-batch-arrival", args=[transport.pk]),
        {},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["moved"] == [case.pk]
    case.refresh_from_db()
    assert case.state == S.SERVING


# --- Hole 6: admission on the unit page left the case in transit -------------------------------


def test_admission_on_the_unit_page_moves_the_case_to_serving(occupancy_admin, case, carla, otto):
    """Hole: the same fact typed twice; the case stayed "in transit"."""
    advance(case, S.IN_TRANSIT, carla=carla, otto=otto)
    reservation = Placement.objects.get(pk=case.placement_id)
    response = occupancy_admin.post(
        reverse("cells:place-admit", args=[reservation.place_id]),
        {"inmate": case.inmate.case_number, "on": TODAY().isoformat(), "reason": "arrival"},
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.state == S.SERVING
    reservation.refresh_from_db()
    assert reservation.kind == Placement.Kind.PLACEMENT
    assert reservation.period.lower == TODAY()
    moves = list(case.events.filter(kind="transition").values_list("to_state", flat=True))
    assert moves[-2:] == [S.ADMITTED, S.SERVING]


# --- Hole 7: closing as not eligible, and the periodic review -----------------------------------


def test_an_ineligible_case_is_closed_as_not_eligible_not_withdrawn(carla) -> None:
    """Hole: an ineligible case could only be withdrawn, as "opened by mistake"."""
    case = services.case_open(
        inmate=make_eligible_inmate(serious_mental_disorder=True), actor=carla
    )
    services.case_screen(case=case, actor=carla)
    assert case.state == S.INELIGIBLE
    services.case_transition(
        case=case, to=S.CLOSED_INELIGIBLE, actor=carla, reason_code="ineligible_rules"
    )
    assert case.state == S.CLOSED_INELIGIBLE
    assert case.closed_at is not None
    with pytest.raises(ConflictError, match="From here: —"):  # final: no move leaves it
        services.case_transition(case=case, to=S.WITHDRAWN, actor=carla, reason_code="duplicate")


def test_the_periodic_review_is_recorded_and_ends_its_reminder(case, carla, otto) -> None:
    """Hole: the periodic review could not be recorded, so its reminder repeated forever."""
    advance(case, S.SERVING, carla=carla, otto=otto)
    TransferCase.objects.filter(pk=case.pk).update(review_due_on=TODAY())
    case.refresh_from_db()
    assert services.reminders_run() == 1
    services.review_record(
        case=case,
        outcome="continue",
        reviewed_on=TODAY(),
        next_review_on=TODAY() + timedelta(days=180),
        actor=carla,
    )
    review = case.events.get(kind=CaseEvent.Kind.REVIEW)
    assert review.payload["next_review_on"] == (TODAY() + timedelta(days=180)).isoformat()
    assert services.reminders_run(on=TODAY() + timedelta(days=1)) == 0


@pytest.mark.parametrize("arriving", [1, 3])
def test_the_expected_arrivals_list_costs_the_same_for_one_or_many(
    occupancy_admin, carla, otto, arriving, django_assert_num_queries
) -> None:
    transport = batch(carla)
    for _n in range(arriving):
        PlaceFactory()
        case = services.case_open(inmate=make_eligible_inmate(), actor=carla)
        advance(case, S.NOTIFIED, carla=carla, otto=otto)
        services.case_schedule(case=case, batch=transport, actor=carla)
        upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
        handover_ready(case, carla)
        services.case_depart(case=case, actor=carla)
    url = reverse("transfers:expected-arrivals")
    # session, user (with roles); the programmes for the filter; the user's programme; the
    # arriving people with their transport, inmate and place; the access-log rows (one
    # insert); the header's work-queue counts; the return reasons
    with django_assert_num_queries(8):
        response = occupancy_admin.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="refused"') == arriving
