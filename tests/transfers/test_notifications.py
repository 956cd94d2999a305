"""Case notifications (program.notifications): one per fact, to the case's caseworker, in the
app and by e-mail."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from program.notifications import services as notification_services
from program.notifications import tasks
from program.notifications.context import unread_notifications
from program.notifications.models import Notification
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import case_in
from tests.transfers.helpers import S
from transfers import services
from transfers.models import TransferCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(outbox_published) -> list[int]:
    """The e-mails queued for the worker (the broker is the edge of the system)."""
    # Handed to the broker by the outbox after commit (program/outbox).
    return outbox_published("notifications.notification_send")


@pytest.fixture
def carla_mail(carla) -> User:
    carla.email = "carla@example.invalid"
    carla.save(update_fields=["email"])
    return carla


@pytest.fixture
def case(carla, place) -> TransferCase:
    return services.case_open(inmate=make_eligible_inmate(), actor=carla)


def _notified_case(carla: User, days_left: int = 3) -> TransferCase:
    return case_in(
        S.NOTIFIED,
        caseworker=carla,
        notified_on=timezone.localdate() - timedelta(days=57),
        appeal_deadline=timezone.localdate() + timedelta(days=days_left),
    )


# --- Created by the jobs, once per fact ------------------------------------------------------


def test_a_changed_outcome_in_the_sweep_notifies_the_caseworker_once(
    case, carla, queued, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_run()
    notification = Notification.objects.get()
    assert notification.recipient == carla
    assert (notification.subject_type, notification.subject_id) == ("transfer_case", str(case.pk))
    assert notification.link == reverse("transfers:case-detail", args=[case.pk])
    assert notification.kind == Notification.Kind.OUTCOME_CHANGED
    assert notification.text.startswith(f"Case #{case.pk}: ")
    assert case.inmate.name not in notification.text
    assert notification.email_state == Notification.EmailState.PENDING
    assert queued == [notification.pk]

    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_run()  # nothing changed: no new fact, nothing queued
    assert Notification.objects.count() == 1
    assert queued == [notification.pk]


def test_the_same_outcome_change_swept_twice_on_one_day_is_one_notification(
    case, carla, queued
) -> None:
    services.screenings_run(
        inmate_ids=[case.inmate_id], on=timezone.localdate(), only_changes=True, actor=None
    )
    # A second run that does not see the first one's screening (two at once): same dedupe key.
    from transfers.models import Screening

    Screening.objects.all().delete()
    services.screenings_run(
        inmate_ids=[case.inmate_id], on=timezone.localdate(), only_changes=True, actor=None
    )
    assert Notification.objects.count() == 1


def test_reminders_notify_the_caseworker_once_per_deadline(carla, queued) -> None:
    case = _notified_case(carla)
    assert services.reminders_run() == 1
    assert services.reminders_run() == 0
    notification = Notification.objects.get()
    assert notification.kind == Notification.Kind.REMINDER
    assert notification.subject_id == str(case.pk)
    assert "appeal_window" in notification.text


def test_notify_with_a_key_is_idempotent(carla, queued, django_capture_on_commit_callbacks) -> None:
    case = _notified_case(carla)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(
            recipient=carla, kind="reminder", text="Look", case=case, dedupe_key="k1"
        )
        second = services.notify(
            recipient=carla, kind="reminder", text="Look", case=case, dedupe_key="k1"
        )
    assert first.pk == second.pk
    assert Notification.objects.count() == 1


# --- Delivery ---------------------------------------------------------------------------------


def test_delivery_sends_one_e_mail_and_records_it(carla_mail, mailoutbox) -> None:
    case = _notified_case(carla_mail)
    notification = services.notify(
        recipient=carla_mail, kind="reminder", text="Appeal window ends", case=case
    )
    assert notification_services.notification_deliver(notification_id=notification.pk) == "sent"
    assert notification_services.notification_deliver(notification_id=notification.pk) == "sent"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carla@example.invalid"]
    assert f"/cases/{case.pk}/" in mailoutbox[0].body
    assert case.inmate.name not in mailoutbox[0].body + mailoutbox[0].subject
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_a_recipient_without_an_address_is_recorded_as_failed(carla, mailoutbox) -> None:
    case = _notified_case(carla)
    notification = services.notify(recipient=carla, kind="reminder", text="x", case=case)
    assert tasks.notification_send(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.email_error == "The recipient has no e-mail address."
    assert mailoutbox == []


def test_a_mail_server_failure_is_recorded_as_failed(carla_mail, monkeypatch) -> None:
    def refuse(**kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(notification_services, "send_mail", refuse)
    case = _notified_case(carla_mail)
    notification = services.notify(recipient=carla_mail, kind="reminder", text="x", case=case)
    assert notification_services.notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert "ConnectionRefusedError" in notification.email_error


# --- Pages ------------------------------------------------------------------------------------


def test_i_see_only_my_notifications_and_mark_them_read(caseworker, carla, karl) -> None:
    mine = services.notify(
        recipient=carla, kind="reminder", text="For Carla", case=_notified_case(carla)
    )
    services.notify(recipient=karl, kind="reminder", text="For Karl", case=_notified_case(karl))
    page = caseworker.get(reverse("notifications:list")).content.decode()
    assert "For Carla" in page
    assert "For Karl" not in page

    response = caseworker.post(reverse("notifications:read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_notification_cannot_be_marked_read(caseworker, karl) -> None:
    theirs = services.notify(recipient=karl, kind="reminder", text="x", case=_notified_case(karl))
    response = caseworker.post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_case(caseworker, carla) -> None:
    case = _notified_case(carla)
    mine = services.notify(recipient=carla, kind="reminder", text="Open me", case=case)
    response = caseworker.post(reverse("notifications:read", args=[mine.pk]), {"next": "subject"})
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:case-detail", args=[case.pk])


@pytest.mark.parametrize("rows", [1, 25])
def test_the_notification_list_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    case = _notified_case(carla)
    for n in range(rows):
        services.notify(recipient=carla, kind="reminder", text=f"n{n}", case=case)
    url = reverse("notifications:list")
    caseworker.get(url)
    # 1 session, 2 user (with roles and unread count), 3 count for the paginator, 4 the
    # header's work-queue counts, 5 the page.
    with django_assert_num_queries(5):
        assert caseworker.get(url).status_code == 200


def test_the_unread_count_is_one_query_for_a_recipient_role_and_none_for_others(
    rf, carla, make_user, django_assert_num_queries
) -> None:
    case = _notified_case(carla)
    services.notify(recipient=carla, kind="reminder", text="a", case=case)
    read = services.notify(recipient=carla, kind="reminder", text="b", case=case)
    notification_services.notification_mark_read(notification_id=read.pk, actor=carla)
    request = rf.get("/")
    request.user = carla
    carla._role_cache = frozenset({"caseworker"})
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 1}
    request.user = make_user("fred", "finance_officer")
    request.user._role_cache = frozenset({"finance_officer"})
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 0}
    # The occupancy administrator is told of arrivals: the same one query, with the work queues.
    request.user = make_user("olga", "occupancy_admin")
    request.user._role_cache = frozenset({"occupancy_admin"})
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notifications": 0}
    request.user = make_user("aud", "auditor")
    request.user._role_cache = frozenset({"auditor"})
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {"unread_notifications": 0}


# --- A clock runs out into the caseworker's work queue ----------------------------------------


def test_a_closed_appeal_window_tells_the_caseworker_once_that_the_case_waits(carla) -> None:
    from transfers.queues import cases_needing_action
    from transfers.services.waiting import tell_clock_waits

    today = timezone.localdate()
    waiting = _notified_case(carla, days_left=-1)  # the window closed yesterday
    still_open = _notified_case(carla, days_left=2)
    assert list(cases_needing_action(carla).values_list("pk", flat=True)) == [waiting.pk]

    assert tell_clock_waits(on=today) == 1
    assert tell_clock_waits(on=today) == 1  # a rerun: the same fact, nobody told again
    told = Notification.objects.get(recipient=carla, kind=Notification.Kind.WAITING)
    assert told.subject_id == str(waiting.pk)
    assert told.text.startswith(f"Case #{waiting.pk} is Notified and waits for you (deadline ")
    assert waiting.inmate.name not in told.text
    assert told.link == reverse("transfers:case-detail", args=[waiting.pk])
    # Two days on, the other window has closed too: told of that one, the first not again.
    assert tell_clock_waits(on=today + timedelta(days=3)) == 2
    assert sorted(
        Notification.objects.filter(kind=Notification.Kind.WAITING).values_list(
            "subject_id", flat=True
        )
    ) == sorted([str(waiting.pk), str(still_open.pk)])


def test_the_daily_reminder_job_also_tells_of_cases_whose_clock_ran_out(carla) -> None:
    from transfers.tasks import deadline_reminders

    waiting = _notified_case(carla, days_left=-1)
    deadline_reminders()
    assert Notification.objects.filter(
        recipient=carla, kind=Notification.Kind.WAITING, subject_id=str(waiting.pk)
    ).exists()
