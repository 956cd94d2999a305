"""The Danish authority hears of a use of force through the outbox and a real worker."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from program.celery import app as celery_app
from program.core.roles import Role
from program.incidents import services
from program.incidents.models import AuthorityContact, AuthorityNotice
from program.notifications.models import Notification
from tests.factories import FacilityFactory


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_use_of_force_is_emailed_to_the_authority_after_commit_by_the_worker(worker_queue):
    facility = FacilityFactory(name="Gjilan")
    AuthorityContact.objects.create(agreement=facility.agreement, email="dk@example.invalid")
    governor = get_user_model().objects.create_user("gunnar", email="gunnar@example.invalid")
    governor.groups.add(Group.objects.get_or_create(name=Role.GOVERNOR)[0])
    incident = services.incident_report(
        actor=governor,
        facility=facility,
        kind="use_of_force",
        occurred_at=timezone.now() - timedelta(minutes=20),
        description="Escorted to the cell with an arm hold.",
    )
    notice = AuthorityNotice.objects.get(incident=incident)
    _wait_for(lambda: AuthorityNotice.objects.get(pk=notice.pk).state == "sent")
    # The governor's own notification's e-mail went the same way.
    _wait_for(
        lambda: Notification.objects.filter(
            recipient=governor, kind="incident", email_state="sent"
        ).exists()
    )
    sent_at = AuthorityNotice.objects.get(pk=notice.pk).sent_at
    # Delivered again (the outbox re-sends what it is not sure of): nothing changes.
    celery_app.send_task("incidents.authority_notice_send", args=[notice.pk])
    services.review_reminders_send()
    time.sleep(2)
    assert AuthorityNotice.objects.get(pk=notice.pk).sent_at == sent_at


def test_the_beat_schedule_reminds_hourly() -> None:
    entry = celery_app.conf.beat_schedule["incidents-review-reminders"]
    assert entry["task"] == "incidents.review_reminders"
