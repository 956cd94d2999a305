"""What Schemathesis found once the schema told the truth, each pinned by a plain test."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from program.cells import services
from program.cells.models import Placement
from tests.factories import PlaceFactory
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db


def test_a_cancellation_reason_that_does_not_fit_is_a_400_not_a_500(occupancy_admin) -> None:
    # The reason is appended to the reservation's own (one column of 300 characters): a valid
    # 300-character reason used to overflow it inside the database.
    reservation = services.reservation_create(
        inmate=InmateFactory(),
        place=PlaceFactory(),
        arrival_on=timezone.localdate() + timedelta(days=10),
        reason="Booked for the March transport",
        actor=None,
    )
    response = occupancy_admin.post(
        f"/api/v1/placements/{reservation.pk}/cancel/",
        {"reason": "0" * 300},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "reason" in error["details"]
    assert "Shorten the reason" in error["message"]
    reservation.refresh_from_db()
    assert reservation.end_reason == ""  # nothing written
    response = occupancy_admin.post(
        f"/api/v1/placements/{reservation.pk}/cancel/",
        {"reason": "Transport cancelled"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Placement.objects.get(pk=reservation.pk).end_reason == "cancelled"


def test_a_release_note_that_does_not_fit_is_refused(occupancy_admin) -> None:
    placement = services.placement_admit(
        inmate=InmateFactory(),
        place=PlaceFactory(),
        on=date(2026, 1, 5),
        reason="Transfer decision " + "x" * 230,
        actor=None,
    )
    response = occupancy_admin.post(
        f"/api/v1/placements/{placement.pk}/release/",
        {"on": "2026-02-01", "end_reason": "released", "reason": "y" * 60},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "reason" in response.json()["error"]["details"]
    placement.refresh_from_db()
    assert placement.period.upper is None  # still placed: nothing written
