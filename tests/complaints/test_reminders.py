"""The complaints' reminders: the service's rules, and the job on a real Celery worker that
sends each reminder's e-mail once."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from program.celery import app as celery_app
from program.complaints import services
from program.complaints.models import Complaint, Kind
from program.complaints.tasks import deadline_reminders
from program.notifications.models import Notification
from tests.complaints.helpers import authorities, days_ago, facility_with_rules, placed, post, user


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there within {timeout} s")


def _complaints(caseworker_name: str, host_name: str) -> tuple[Complaint, Complaint, Complaint]:
    facility = facility_with_rules()
    post(host_name, facility)
    kf = authorities()["kf"]
    # Health care: 10 days to answer, reminded 3 days before.
    due_soon = services.complaint_register(
        actor=user(caseworker_name),
        inmate=placed(facility),
        received_on=days_ago(8),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.HEALTH_CARE,
        authority=kf,
    )
    not_yet = services.complaint_register(
        actor=user(caseworker_name),
        inmate=placed(facility),
        received_on=days_ago(1),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.HEALTH_CARE,
        authority=kf,
    )
    # A receipt with no handler (21 days, "other"), received 25 days ago: overdue.
    unhandled = services.complaint_receipt_record(
        actor=user(host_name),
        inmate=placed(facility),
        received_on=days_ago(25),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        sealed=True,
    )
    return due_soon, not_yet, unhandled


@pytest.mark.django_db
def test_reminders_go_to_the_handler_or_the_governors_once(caseworker, governor, host_officer):
    due_soon, not_yet, unhandled = _complaints("carla", "arben")
    assert services.reminders_run() == 2
    assert services.reminders_run() == 0  # a rerun tells nobody again
    told = Notification.objects.filter(subject_type="complaint")
    assert set(told.values_list("subject_id", "recipient__username")) == {
        (str(due_soon.pk), "carla"),
        (str(unhandled.pk), "gunnar"),
    }
    assert "overdue" in told.get(subject_id=str(unhandled.pk)).text
    # When the deadline passes, the handler is told once more; an answered one never.
    later = timezone.localdate() + timedelta(days=5)
    assert services.reminders_run(on=later) == 1
    assert told.filter(subject_id=str(due_soon.pk)).count() == 2
    assert not told.filter(subject_id=str(not_yet.pk)).exists()
    # An answered complaint is never reminded of again.
    services.complaint_answer(
        complaint=not_yet, actor=user("carla"), answered_on=timezone.localdate(), answer="Seen."
    )
    assert services.reminders_run(on=later + timedelta(days=30)) == 0


@pytest.mark.django_db(transaction=True)
def test_the_job_on_a_real_worker_sends_each_reminder_once(worker_queue, make_user) -> None:
    for username, role in (("carla", "caseworker"), ("gunnar", "governor")):
        make_user(username, role)
    make_user("arben", "host_officer")
    for person in get_user_model().objects.filter(username__in=["carla", "gunnar"]):
        person.email = f"{person.username}@example.invalid"
        person.save(update_fields=["email"])
    _complaints("carla", "arben")
    deadline_reminders.delay()
    _wait_for(
        lambda: (
            Notification.objects.filter(subject_type="complaint", email_state="sent").count() == 2
        )
    )
    deadline_reminders.delay()
    # A marker after the repeat: a week on, the second complaint's reminder is due and the
    # first is overdue (two new facts). One solo worker on one queue runs in order, so once
    # the marker has run the repeat has run too, and it added nothing.
    deadline_reminders.delay((timezone.localdate() + timedelta(days=7)).isoformat())
    _wait_for(
        lambda: (
            Notification.objects.filter(subject_type="complaint", email_state="sent").count() == 4
        )
    )
    assert Notification.objects.filter(subject_type="complaint").count() == 4


def test_the_beat_schedule_runs_the_job_daily() -> None:
    entry = celery_app.conf.beat_schedule["complaints-deadline-reminders"]
    assert entry["task"] == deadline_reminders.name
