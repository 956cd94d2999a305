"""The visits API: the same scope as the pages, a request by POST, booking with If-Match,
refused unknown parameters, and the access log on every read of a person's visits."""

import pytest

from program.audit.models import AccessLogEntry
from tests.visits.conftest import at

pytestmark = pytest.mark.django_db


def test_a_request_then_a_booking_over_the_api(caseworker, host_officer, arben, inmate, facility):
    made = caseworker.post(
        "/api/v1/visits/",
        {
            "inmate": inmate.pk,
            "facility": facility.pk,
            "kind": "video",
            "requested_by": "inmate",
            "visitors": [{"name": "Arta", "relation": "partner"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    url = f"/api/v1/visits/{pk}/book/"
    body = {"starts_at": at(4, 10).isoformat(), "ends_at": at(4, 11).isoformat()}
    assert host_officer.post(url, body, content_type="application/json").status_code == 428
    booked = host_officer.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert booked.status_code == 200, booked.content
    assert booked.json()["status"] == "booked"
    assert booked["ETag"] == '"2"'


def test_the_list_filters_and_refuses_unknown_parameters(host_officer, arben, make_visit, inmate):
    make_visit(inmate)
    listed = host_officer.get("/api/v1/visits/?status=requested")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert host_officer.get("/api/v1/visits/?colour=red").status_code == 400
    assert AccessLogEntry.objects.filter(actor_username="arben").exists()


def test_reading_a_visit_is_logged_and_another_facilitys_is_not_found(
    host_officer, arben, make_visit, inmate, other_facility
):
    mine = make_visit(inmate)
    elsewhere = make_visit(inmate, place=other_facility)
    assert host_officer.get(f"/api/v1/visits/{mine.pk}/").status_code == 200
    assert host_officer.get(f"/api/v1/visits/{elsewhere.pk}/").status_code == 404
    assert (
        AccessLogEntry.objects.filter(
            actor_username="arben", action="view", subject_id=str(inmate.pk)
        ).count()
        == 1
    )


def test_finance_roles_never_reach_visits(finance_officer, make_visit, inmate):
    make_visit(inmate)
    assert finance_officer.get("/api/v1/visits/").status_code == 403
    assert finance_officer.get("/visits/").status_code == 403
