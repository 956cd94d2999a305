"""Incidents: who may report and read where, the review deadline and queue, what is told to
whom through the outbox, the access log, the history and the programme report's figure."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from psycopg.types.range import DateRange

from program.audit.models import AccessLogEntry
from program.cells.models import Placement
from program.core.errors import ApplicationError
from program.host.models import StaffPosting
from program.incidents import selectors, services
from program.incidents.models import AuthorityContact, Incident, InmateNotice
from program.notifications.models import Notification
from program.outbox.models import OutboxMessage
from tests.factories import FacilityFactory, PlaceFactory, UnitFactory
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _held(facility, name="Report A"):
    unit = UnitFactory(facility=facility)
    place = PlaceFactory(cell__unit=unit)
    inmate = InmateFactory(name=name, languages=["Albanian"])
    Placement.objects.create(
        inmate=inmate,
        place=place,
        kind=Placement.Kind.PLACEMENT,
        period=DateRange(timezone.localdate() - timedelta(days=30), None),
        reason="test",
    )
    return inmate


@pytest.fixture
def two_facilities(host_officer, governor):
    gjilan = FacilityFactory(name="Gjilan")
    other = FacilityFactory(name="Other")
    StaffPosting.objects.create(user=User.objects.get(username="arben"), facility=gjilan)
    AuthorityContact.objects.create(agreement=gjilan.agreement, email="dk@example.invalid")
    return gjilan, other


def _report(user, facility, kind="violence", inmates=()):
    return services.incident_report(
        actor=user,
        facility=facility,
        kind=kind,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="A fight in the yard.",
        injuries="A cut on the hand.",
        inmates=list(inmates),
    )


def test_a_host_officer_reports_at_their_facility_and_not_at_another(two_facilities):
    gjilan, other = two_facilities
    arben = User.objects.get(username="arben")
    inmate = _held(gjilan)
    incident = _report(arben, gjilan, inmates=[inmate])
    assert incident.facility == gjilan
    with pytest.raises(ApplicationError, match="posted to"):
        _report(arben, other)
    # A person held elsewhere cannot be named.
    stranger = _held(other, name="Elsewhere B")
    with pytest.raises(ApplicationError, match="held at this facility"):
        _report(arben, gjilan, inmates=[stranger])


def test_a_host_officer_sees_only_their_facility(two_facilities, host_officer, governor):
    gjilan, other = two_facilities
    gunnar = User.objects.get(username="gunnar")
    here = _report(gunnar, gjilan)
    there = _report(gunnar, other)
    assert host_officer.get(reverse("incidents:detail", args=[here.pk])).status_code == 200
    assert host_officer.get(reverse("incidents:detail", args=[there.pk])).status_code == 404
    listed = host_officer.get(reverse("incidents:list")).content.decode()
    assert f"#{here.pk}<" in listed
    assert f"#{there.pk}<" not in listed
    api = host_officer.get(reverse("api:incident-list")).json()
    ids = [row["id"] for row in api.get("results", api)]
    assert ids == [here.pk]
    # The governor sees both; injuries (health) reach the governor, never host staff.
    assert governor.get(reverse("incidents:detail", args=[there.pk])).status_code == 200
    assert (
        "A cut on the hand"
        in governor.get(reverse("incidents:detail", args=[here.pk])).content.decode()
    )
    assert (
        "A cut on the hand"
        not in host_officer.get(reverse("incidents:detail", args=[here.pk])).content.decode()
    )
    assert "injuries" not in host_officer.get(reverse("api:incident-detail", args=[here.pk])).json()


def test_finance_cannot_read_incidents(finance_officer):
    assert finance_officer.get(reverse("incidents:list")).status_code == 403


def test_use_of_force_notifies_the_governor_and_the_authority_through_the_outbox(two_facilities):
    gjilan, _other = two_facilities
    arben = User.objects.get(username="arben")
    inmate = _held(gjilan)
    incident = _report(arben, gjilan, kind="use_of_force", inmates=[inmate])
    assert incident.review_due_at - incident.reported_at == timedelta(hours=24)
    gunnar = User.objects.get(username="gunnar")
    assert Notification.objects.filter(recipient=gunnar, kind="incident").count() == 1
    notice = incident.authority_notice
    assert notice.email == "dk@example.invalid"
    assert notice.state == "pending"
    assert OutboxMessage.objects.filter(
        task="incidents.authority_notice_send", args=[notice.pk]
    ).exists()
    # The inmate's notice is kept, in the inmate's language when offered (else English).
    assert InmateNotice.objects.get(incident=incident, inmate=inmate).text
    # The worker's delivery sends once.
    from django.core import mail

    assert services.authority_notice_deliver(notice_id=notice.pk) == "sent"
    assert services.authority_notice_deliver(notice_id=notice.pk) == "sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dk@example.invalid"]
    assert "Report A" not in mail.outbox[0].body


def test_other_kinds_do_not_notify_the_authority(two_facilities):
    gjilan, _other = two_facilities
    incident = _report(User.objects.get(username="arben"), gjilan, kind="self_harm")
    assert incident.review_due_at - incident.reported_at == timedelta(hours=72)
    assert not hasattr(incident, "authority_notice") or incident.authority_notice is None


def test_overdue_reviews_queue_and_remind_once(two_facilities, governor):
    gjilan, _other = two_facilities
    incident = _report(User.objects.get(username="gunnar"), gjilan, kind="death")
    gunnar = User.objects.get(username="gunnar")
    assert not selectors.reviews_overdue(gunnar).exists()
    # Reported 25 hours ago: the 24 hours for a death have run out.
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(
        occurred_at=now - timedelta(hours=26),
        reported_at=now - timedelta(hours=25),
        review_due_at=now - timedelta(hours=1),
    )
    assert list(selectors.reviews_overdue(gunnar)) == [incident]
    assert services.review_reminders_send() == 1
    assert services.review_reminders_send() == 1
    assert Notification.objects.filter(recipient=gunnar, kind="reminder").count() == 1
    home = governor.get(reverse("home")).content.decode()
    assert "Incident reviews overdue" in home
    assert f"Incident #{incident.pk}" in home


def test_the_governor_reviews_and_the_history_and_access_log_record_it(two_facilities, governor):
    gjilan, _other = two_facilities
    inmate = _held(gjilan)
    incident = _report(User.objects.get(username="arben"), gjilan, inmates=[inmate])
    before = AccessLogEntry.objects.filter(subject_type="inmate", subject_id=str(inmate.pk)).count()
    governor.get(reverse("incidents:detail", args=[incident.pk]))
    assert (
        AccessLogEntry.objects.filter(
            subject_type="inmate", subject_id=str(inmate.pk), action="view"
        ).count()
        == before + 1
    )
    response = governor.post(
        reverse("incidents:review", args=[incident.pk]),
        {"version": incident.version, "findings": "Force was proportionate.", "outcome": "close"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == "closed"
    from django.apps import apps

    change = apps.get_model("audit", "IncidentChange")
    assert change.objects.filter(pgh_obj_id=incident.pk).count() >= 2
    # A second review is a conflict.
    with pytest.raises(ApplicationError):
        services.incident_review(
            actor=User.objects.get(username="gunnar"),
            incident_id=incident.pk,
            outcome="close",
            findings="again",
        )


def test_a_host_officer_cannot_review(two_facilities, host_officer):
    gjilan, _other = two_facilities
    incident = _report(User.objects.get(username="arben"), gjilan)
    response = host_officer.post(
        reverse("incidents:review", args=[incident.pk]),
        {"version": 1, "findings": "x", "outcome": "close"},
    )
    assert response.status_code == 403


def test_the_report_counts_incidents_by_kind_and_overdue_reviews(two_facilities):
    gjilan, _other = two_facilities
    arben = User.objects.get(username="arben")
    _report(arben, gjilan, kind="use_of_force")
    _report(arben, gjilan, kind="violence")
    today = timezone.localdate()
    figures = selectors.incident_figures(
        facility_ids=[gjilan.pk],
        start=today - timedelta(days=1),
        until=today + timedelta(days=1),
        now=timezone.now(),
    )
    assert figures["total"] == 2
    assert figures["use_of_force"] == 1
    assert figures["overdue"] == 0
    later = timezone.now() + timedelta(hours=30)
    figures = selectors.incident_figures(
        facility_ids=[gjilan.pk],
        start=today - timedelta(days=1),
        until=today + timedelta(days=5),
        now=later,
    )
    assert figures["overdue"] == 1


def test_the_list_runs_a_fixed_number_of_queries(
    two_facilities, governor, django_assert_num_queries
):
    gjilan, _other = two_facilities
    gunnar = User.objects.get(username="gunnar")
    for _n in range(3):
        _report(gunnar, gjilan, inmates=[_held(gjilan, name=f"Person {_n}")])
    governor.get(reverse("incidents:list"))
    # 1 session, 2 user, 3 the count, 4 the page's incidents, 5 their people, 6 the access-log
    # row (with the bulk-read count), 7 the header's work-queue count.
    with django_assert_num_queries(7):
        assert governor.get(reverse("incidents:list")).status_code == 200


def test_the_api_reports_and_reviews_with_if_match(two_facilities, host_officer, governor):
    gjilan, other = two_facilities
    when = (timezone.now() - timedelta(hours=2)).isoformat()
    body = {"facility": other.pk, "kind": "violence", "occurred_at": when, "description": "x"}
    refused = host_officer.post(reverse("api:incident-list"), body, content_type="application/json")
    assert refused.status_code == 400
    assert "posted to" in refused.json()["error"]["message"]
    created = host_officer.post(
        reverse("api:incident-list"),
        {**body, "facility": gjilan.pk, "injuries": "A bruise."},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert "injuries" not in created.json()
    pk = created.json()["id"]
    url = reverse("api:incident-review", args=[pk])
    review = {"outcome": "close", "findings": "Proportionate."}
    assert governor.post(url, review, content_type="application/json").status_code == 428
    stale = governor.post(url, review, content_type="application/json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    done = governor.post(url, review, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done.json()["state"] == "closed"
    assert done.json()["injuries"] == "A bruise."
    assert host_officer.post(url, review, content_type="application/json").status_code == 403
