"""The occupancy administrators are told when a reservation lands in their work queues by the
passing of time: the arrival day comes (expected arrivals today) or passes with nobody admitted
(reservations past their arrival date). The daily job runs on a real Celery worker; each fact is
told once however often it runs."""

import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from program.celery import app as celery_app
from program.cells import services
from program.cells.notices import RESERVATION_SUBJECT, reservation_notices_send
from program.cells.tasks import reservation_notices
from program.core.models import Heartbeat
from program.core.roles import Role
from program.core.tasks import HEARTBEAT, heartbeat
from program.notifications.models import Notification
from tests.cells.test_unit_view import make_inmate, new_place

pytestmark = pytest.mark.django_db

ARRIVAL = date(2027, 5, 3)


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there within {timeout} s")


def _marker_ran(runs: int) -> bool:
    # One solo worker on one queue runs in order: once the heartbeat queued after the jobs has
    # run, so have they.
    return Heartbeat.objects.filter(name=HEARTBEAT, runs__gte=runs).exists()


def _reserve(case_number: str, arrival_on: date):
    return services.reservation_create(
        inmate=make_inmate(case_number, "Person Waiting"),
        place=new_place(),
        arrival_on=arrival_on,
        reason="Booked on the transport",
        actor=None,
    )


def _told(fact: str) -> list[tuple[int, str, str]]:
    return list(
        Notification.objects.filter(
            subject_type=RESERVATION_SUBJECT, dedupe_key__startswith=f"{fact}:"
        )
        .order_by("recipient_id", "subject_id")
        .values_list("recipient_id", "subject_id", "dedupe_key")
    )


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_on_a_real_worker_tells_each_administrator_once_per_overdue_reservation(
    worker_queue, make_user
) -> None:
    admins = [make_user(name, Role.OCCUPANCY_ADMIN) for name in ("olga", "otto")]
    for admin in admins:
        admin.email = f"{admin.username}@example.invalid"
        admin.save(update_fields=["email"])
    make_user("carla", Role.CASEWORKER)  # not an occupancy administrator: never told
    reservation = _reserve("KF-1", ARRIVAL)

    # On the arrival day it is expected today; not yet overdue.
    reservation_notices.delay(ARRIVAL.isoformat())
    heartbeat.delay()
    _wait_for(lambda: _marker_ran(1))
    assert _told("arrives") == [
        (admin.pk, str(reservation.pk), f"arrives:{ARRIVAL.isoformat()}") for admin in admins
    ]
    assert _told("overdue") == []

    # The day after, nobody admitted: it went overdue. Run three times, as a redelivered job
    # and a rerun would: each administrator is told once.
    day_after = (ARRIVAL + timedelta(days=1)).isoformat()
    for _run in range(3):
        reservation_notices.delay(day_after)
    reservation_notices.delay((ARRIVAL + timedelta(days=5)).isoformat())  # still overdue
    heartbeat.delay()
    _wait_for(lambda: _marker_ran(2))
    assert _told("overdue") == [
        (admin.pk, str(reservation.pk), f"overdue:{ARRIVAL.isoformat()}") for admin in admins
    ]
    overdue = Notification.objects.filter(dedupe_key__startswith="overdue:")
    assert {n.kind for n in overdue} == {Notification.Kind.WAITING}
    assert {n.link for n in overdue} == {
        reverse("cells:unit-detail", args=[reservation.place.cell.unit_id])
        + f"?date={day_after}&show=reserved"
    }
    # The worker sends each notice's e-mail, once.
    _wait_for(lambda: overdue.filter(email_state="sent").count() == 2)
    assert Notification.objects.filter(subject_type=RESERVATION_SUBJECT).count() == 4


def test_the_notice_names_the_place_and_day_never_the_person(make_user) -> None:
    admin = make_user("olga", Role.OCCUPANCY_ADMIN)
    reservation = _reserve("KF-2", ARRIVAL)
    with translation.override("en"):
        notices = reservation_notices_send(on=ARRIVAL + timedelta(days=2))
    assert (notices.arriving_today, notices.overdue) == (0, 1)
    notice = Notification.objects.get(recipient=admin)
    assert "Person Waiting" not in notice.text
    assert "KF-2" not in notice.text
    assert notice.text.startswith(f"Place {reservation.place.cell.number}-")
    assert "is overdue; admit the person or cancel the reservation." in notice.text


def test_an_admitted_or_cancelled_reservation_is_not_told_as_overdue(make_user) -> None:
    make_user("olga", Role.OCCUPANCY_ADMIN)
    admitted = _reserve("KF-3", ARRIVAL)
    services.placement_admit(
        inmate=admitted.inmate, place=admitted.place, on=ARRIVAL, reason="Arrived", actor=None
    )
    cancelled = _reserve("KF-4", ARRIVAL)
    services.reservation_cancel(reservation=cancelled, reason="Transport cancelled", actor=None)
    late = _reserve("KF-5", ARRIVAL)
    notices = reservation_notices_send(on=ARRIVAL + timedelta(days=1))
    assert notices.overdue == 1
    assert [row[1] for row in _told("overdue")] == [str(late.pk)]


def test_a_reservation_moved_to_a_new_arrival_day_is_a_new_fact(make_user) -> None:
    make_user("olga", Role.OCCUPANCY_ADMIN)
    reservation = _reserve("KF-6", ARRIVAL)
    reservation_notices_send(on=ARRIVAL + timedelta(days=1))
    later = ARRIVAL + timedelta(days=7)
    reservation.period = type(reservation.period)(later, None)
    reservation.save(update_fields=["period"])
    reservation_notices_send(on=later + timedelta(days=1))
    assert [row[2] for row in _told("overdue")] == [
        f"overdue:{ARRIVAL.isoformat()}",
        f"overdue:{later.isoformat()}",
    ]


def test_the_beat_schedule_runs_the_notices_daily() -> None:
    entry = celery_app.conf.beat_schedule["cells-reservation-notices"]
    assert entry["task"] == reservation_notices.name
