"""The arrival check-in: an officer posted to the facility admits a person into the place
reserved for them (the case goes on to serving, the reservation becomes the placement) or
refuses them at the gate with a reason (the case is returned, the place freed); one transaction
per action, recorded as the officer's."""

import pytest
from django.urls import reverse

from program.audit.models import AccessLogEntry
from program.cells.models import Placement
from program.core.errors import ApplicationError, ConflictError
from program.host import services
from program.host.models import ArrivalCheck
from tests.factories import FacilityFactory
from tests.host.conftest import S, on_the_way, post
from transfers.models import CaseEvent

pytestmark = pytest.mark.django_db


def _admit(case, actor, **extra):
    values = {"identity_confirmed": True, "items": ["identity_document"], "remarks": "", **extra}
    return services.arrival_admit(case_id=case.pk, actor=actor, **values)


def test_admitting_moves_the_case_to_serving_in_its_reserved_place(arben, transport) -> None:
    case = transport.cases[0]
    reserved = case.placement
    check = _admit(case, arben, remarks="Bag seal intact")
    case.refresh_from_db()
    assert case.state == S.SERVING
    placement = Placement.objects.get(pk=case.placement_id)
    assert placement.kind == Placement.Kind.PLACEMENT
    assert placement.place_id == reserved.place_id
    assert check.outcome == ArrivalCheck.Outcome.ADMITTED
    assert check.placement_id == placement.pk
    assert check.items == ["identity_document"]
    # The case's timeline names the officer as the one who recorded the arrival.
    moves = CaseEvent.objects.filter(case=case, to_state__in=[S.ADMITTED, S.SERVING])
    assert {event.actor_id for event in moves} == {arben.pk}


def test_an_unconfirmed_identity_admits_nobody(arben, transport) -> None:
    case = transport.cases[0]
    with pytest.raises(ApplicationError, match="Confirm that the person is who"):
        _admit(case, arben, identity_confirmed=False)
    case.refresh_from_db()
    assert case.state == S.IN_TRANSIT
    assert not ArrivalCheck.objects.exists()


def test_refusing_at_the_gate_returns_the_case_and_frees_the_place(arben, transport) -> None:
    case = transport.cases[1]
    reservation = case.placement
    check = services.arrival_refuse(
        case_id=case.pk,
        reason="No identity document; not the person on the manifest",
        items=(),
        remarks="",
        actor=arben,
    )
    case.refresh_from_db()
    reservation.refresh_from_db()
    assert case.state == S.RETURNED
    assert reservation.end_reason == Placement.EndReason.CANCELLED
    assert check.outcome == ArrivalCheck.Outcome.REFUSED
    event = CaseEvent.objects.get(case=case, to_state=S.RETURNED)
    assert event.actor_id == arben.pk
    assert event.reason_code_id == "gate_refusal"
    assert "No identity document" in event.text


def test_a_refusal_needs_its_reason(arben, transport) -> None:
    case = transport.cases[1]
    with pytest.raises(ApplicationError, match="Write why"):
        services.arrival_refuse(case_id=case.pk, reason="  ", items=(), remarks="", actor=arben)
    case.refresh_from_db()
    assert case.state == S.IN_TRANSIT


def test_an_officer_of_another_facility_cannot_check_the_person_in(
    host_officer, arben, transport
) -> None:
    post(arben, FacilityFactory(name="Elsewhere"))
    arben._posted_facility_memo = None  # the memo of the request before
    del arben._posted_facility_memo
    with pytest.raises(ApplicationError, match="Nobody on a transport to Elsewhere"):
        _admit(transport.cases[0], arben)


def test_a_transport_not_yet_departed_cannot_be_checked_in(arben, carla, otto, site) -> None:
    waiting = on_the_way(carla, otto, site.places[3:4], depart=False)
    with pytest.raises(ConflictError, match="has not been recorded as departed"):
        _admit(waiting.cases[0], arben)


def test_an_arrival_is_checked_in_once(arben, transport) -> None:
    case = transport.cases[0]
    _admit(case, arben)
    with pytest.raises(ApplicationError):
        _admit(case, arben)
    assert ArrivalCheck.objects.count() == 1


def test_the_officer_checks_in_and_refuses_through_the_pages(
    host_officer, arben, transport
) -> None:
    arriving, refused = transport.cases[0], transport.cases[1]
    listing = host_officer.get(reverse("host:arrivals"))
    assert listing.status_code == 200
    assert arriving.inmate.name in listing.content.decode()
    page = host_officer.get(reverse("host:check-in", args=[arriving.pk]))
    assert page.status_code == 200
    assert AccessLogEntry.objects.filter(
        actor=arben, action="view", subject_id=str(arriving.inmate_id)
    ).exists()
    missing = host_officer.post(reverse("host:check-in", args=[arriving.pk]), {"remarks": ""})
    assert missing.status_code == 400
    assert "Confirm that the person is who" in missing.content.decode()
    done = host_officer.post(
        reverse("host:check-in", args=[arriving.pk]),
        {"identity_confirmed": "on", "items": ["identity_document", "clothing"]},
        follow=True,
    )
    assert "is admitted to place" in done.content.decode()
    no_reason = host_officer.post(reverse("host:refuse", args=[refused.pk]), {"refuse-reason": ""})
    assert no_reason.status_code == 400
    sent_back = host_officer.post(
        reverse("host:refuse", args=[refused.pk]),
        {"refuse-reason": "Not the person on the manifest"},
        follow=True,
    )
    assert "refused at the gate" in sent_back.content.decode()
    arriving.refresh_from_db()
    refused.refresh_from_db()
    assert (arriving.state, refused.state) == (S.SERVING, S.RETURNED)
    # A checked-in arrival's page sends the officer back to the list.
    again = host_officer.get(reverse("host:check-in", args=[arriving.pk]))
    assert again.status_code == 302


def test_a_host_user_without_a_posting_is_told_to_ask_the_administrator(host_officer) -> None:
    for name in ("host:roll", "host:arrivals", "host:headcount"):
        body = host_officer.get(reverse(name)).content.decode()
        assert "Ask the system administrator to post you" in body, name
    home = host_officer.get(reverse("home")).content.decode()
    assert "Ask the system administrator to post you" in home
