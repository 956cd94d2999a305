"""The handover record: minimisation, the departure refusal, acknowledgments, access log and
history, and the pages' query counts."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from program.audit.history import EVENT_MODELS
from program.audit.models import AccessLogEntry
from program.core.errors import ApplicationError, ConflictError
from program.handover import services
from program.handover.models import Handover
from program.host.models import StaffPosting
from tests.factories import handover_ready
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.helpers import advance, upload
from transfers import services as transfers
from transfers.models import Document, TransferCase

S = TransferCase.State
SECRET = "Insulin twice a day (health detail)"


@pytest.fixture
def helle(health_staff) -> User:
    return User.objects.get(username="helle")


@pytest.fixture
def arben(host_officer) -> User:
    return User.objects.get(username="arben")


@pytest.fixture
def scheduled(carla, otto, place) -> TransferCase:
    case = transfers.case_open(inmate=make_eligible_inmate(), actor=carla)
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    upload(case, Document.Kind.TRANSPORT_MANIFEST, carla)
    return case


def _filled(case: TransferCase, carla: User, helle: User) -> Handover:
    record = services.handover_start(case=case, actor=carla)
    record = services.handover_update(
        handover=record,
        actor=carla,
        values={"medication": True, "medication_todo": "Sealed bag with the escort's nurse"},
    )
    return services.handover_update(handover=record, actor=helle, values={"health_details": SECRET})


def test_departure_is_refused_naming_the_person_without_an_acknowledged_handover(
    scheduled, carla, helle
) -> None:
    entry = scheduled.manifest.get()
    with pytest.raises(ConflictError, match=scheduled.inmate.name) as refused:
        transfers.batch_depart(batch=entry.batch, actor=carla)
    assert "none is started" in refused.value.message
    record = _filled(scheduled, carla, helle)
    services.handover_complete(handover=record, actor=carla)
    with pytest.raises(ConflictError, match="the escort has not acknowledged it"):
        transfers.case_depart(case=scheduled, actor=carla)
    scheduled.refresh_from_db()
    assert scheduled.state == S.SCHEDULED
    handover_ready(scheduled, carla)
    transfers.batch_depart(batch=entry.batch, actor=carla)
    scheduled.refresh_from_db()
    assert scheduled.state == S.IN_TRANSIT


def test_completion_needs_the_health_part_and_what_to_do(scheduled, carla, helle) -> None:
    record = services.handover_start(case=scheduled, actor=carla)
    record = services.handover_update(handover=record, actor=carla, values={"violence": "high"})
    with pytest.raises(ConflictError) as refused:
        services.handover_complete(handover=record, actor=carla)
    assert "health staff" in refused.value.message
    assert "Violence" in refused.value.message
    with pytest.raises(ApplicationError, match="cannot be changed here"):
        services.handover_update(handover=record, actor=carla, values={"health_details": "x"})
    with pytest.raises(ApplicationError, match="cannot be changed here"):
        services.handover_update(handover=record, actor=helle, values={"diet": True})


def test_an_acknowledged_handover_is_read_only_and_a_correction_is_a_new_edition(
    scheduled, carla, helle
) -> None:
    record = _filled(scheduled, carla, helle)
    services.handover_complete(handover=record, actor=carla)
    record = services.handover_acknowledge_escort(
        handover=record, actor=carla, escort_officer="Officer Holm"
    )
    assert record.escort_recorded_by == carla
    assert record.escort_acknowledged_at is not None
    with pytest.raises(ConflictError, match="correction"):
        services.handover_update(handover=record, actor=carla, values={"diet": True})
    new = services.handover_correct(handover=record, actor=carla, reason="Diet was left out")
    assert new.edition == 2
    assert new.health_details == SECRET
    assert new.completed_at is None
    record.refresh_from_db()
    assert record.superseded_by == new
    assert record.escort_officer == "Officer Holm"
    # The write history holds every write of the first edition, with who made it.
    changes = EVENT_MODELS["handover.Handover"].objects.filter(pgh_obj_id=record.pk)
    assert [change.pgh_label for change in changes.order_by("pgh_id")] == [
        "insert",
        "update",  # the caseworker's alerts
        "update",  # the health part
        "update",  # complete
        "update",  # the escort
        "update",  # superseded
        "update",  # superseded by the new edition
    ]


def test_the_host_facility_acknowledges_on_arrival_only_at_its_own_facility(
    scheduled, carla, helle, arben, host_officer
) -> None:
    record = handover_ready(scheduled, carla, health=helle)
    with pytest.raises(ApplicationError, match="receiving facility"):
        services.handover_acknowledge_arrival(handover=record, actor=arben)
    StaffPosting.objects.create(user=arben, facility=record.facility)
    arben = User.objects.get(pk=arben.pk)
    with pytest.raises(ConflictError, match="not left"):
        services.handover_acknowledge_arrival(handover=record, actor=arben)
    transfers.case_depart(case=scheduled, actor=carla)
    # The officer finds the person among the arrivals of their facility, and acknowledges.
    listing = host_officer.get(reverse("handover:list")).content.decode()
    assert reverse("handover:detail", args=[record.pk]) in listing
    response = host_officer.post(
        reverse("handover:arrival", args=[record.pk]), {"version": record.version}
    )
    assert response.status_code == 302
    done = Handover.objects.get(pk=record.pk)
    assert done.arrival_acknowledged_by == arben
    assert done.arrival_acknowledged_at is not None
    assert done.arrival_acknowledged_at <= timezone.now()


def test_only_health_staff_get_the_health_details(
    scheduled, carla, helle, arben, caseworker, health_staff, host_officer
) -> None:
    record = handover_ready(scheduled, carla, health=helle)
    services.handover_correct(handover=record, actor=helle, reason="Dose changed")
    current = Handover.objects.get(case=scheduled, superseded_at__isnull=True)
    services.handover_update(handover=current, actor=helle, values={"health_details": SECRET})
    services.handover_complete(handover=current, actor=carla)
    services.handover_acknowledge_escort(handover=current, actor=carla, escort_officer="Holm")
    StaffPosting.objects.create(user=arben, facility=current.facility)
    page = reverse("handover:detail", args=[current.pk])
    api = reverse("api:handover-detail", args=[current.pk])
    listing = reverse("api:handover-list")
    for client in (caseworker, host_officer):
        for url in (page, api, listing):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert SECRET not in body, url
            assert "health_details" not in body, url
    assert "Holm" in host_officer.get(page).content.decode()  # the alerts reach them
    # Control: health staff read them, on the page and in the API.
    assert SECRET in health_staff.get(page).content.decode()
    assert health_staff.get(api).json()["health_details"] == SECRET


def test_every_read_is_in_the_access_log(scheduled, carla, helle, caseworker) -> None:
    record = handover_ready(scheduled, carla, health=helle)
    before = AccessLogEntry.objects.count()
    caseworker.get(reverse("handover:detail", args=[record.pk]))
    caseworker.get(reverse("api:handover-detail", args=[record.pk]))
    rows = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(row.subject_type, row.subject_id) for row in rows] == [
        ("inmate", str(scheduled.inmate_id)),
        ("inmate", str(scheduled.inmate_id)),
    ]
    assert all(row.criterion == {"handover": record.pk} for row in rows)


def test_the_api_update_needs_if_match(scheduled, carla, caseworker) -> None:
    record = services.handover_start(case=scheduled, actor=carla)
    url = reverse("api:handover-detail", args=[record.pk])
    body = {"diet": True, "diet_todo": "Vegetarian"}
    assert caseworker.patch(url, body, content_type="application/json").status_code == 428
    stale = caseworker.patch(
        url, body, content_type="application/json", headers={"If-Match": '"9"'}
    )
    assert stale.status_code == 412
    etag = caseworker.get(url)["ETag"]
    done = caseworker.patch(url, body, content_type="application/json", headers={"If-Match": etag})
    assert done.status_code == 200
    assert done.json()["diet"] is True


def test_the_transport_page_shows_each_persons_handover_in_one_query(
    scheduled, carla, caseworker, django_assert_max_num_queries
) -> None:
    handover_ready(scheduled, carla)
    batch = scheduled.manifest.get().batch
    response = caseworker.get(reverse("transfers:batch-detail", args=[batch.pk]))
    assert b'data-testid="batch-handovers"' in response.content
    assert b'data-status="escort"' in response.content
    listing = caseworker.get(reverse("handover:list"))
    assert b'data-status="escort"' in listing.content


def test_the_handover_list_costs_the_same_for_one_person_and_for_two(
    scheduled, carla, otto, caseworker
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PlaceFactory

    handover_ready(scheduled, carla)
    url = reverse("handover:list")
    caseworker.get(url)
    with CaptureQueriesContext(connection) as one:
        assert caseworker.get(url).content.count(b'data-testid="handover-link"') == 1
    PlaceFactory()
    second = transfers.case_open(inmate=make_eligible_inmate(), actor=carla)
    advance(second, S.SCHEDULED, carla=carla, otto=otto)
    with CaptureQueriesContext(connection) as two:
        assert caseworker.get(url).content.count(b'data-testid="handover-link"') == 2
    # The seats with people and transports, then the records in force: not one per person.
    assert len(two) == len(one)


def test_the_complete_button_completes_the_record_or_says_what_is_missing(
    scheduled, carla, helle, caseworker, health_staff
) -> None:
    record = services.handover_start(case=scheduled, actor=carla)
    record = services.handover_update(
        handover=record,
        actor=carla,
        values={"medication": True, "medication_todo": "Sealed bag with the escort's nurse"},
    )
    url = reverse("handover:complete", args=[record.pk])

    # Before health staff have done their part: refused, saying what is missing; nothing saved.
    early = caseworker.post(url, {"version": record.version}, follow=True).content.decode()
    assert "The handover cannot be completed yet. Still missing:" in early
    assert "health staff" in early
    record.refresh_from_db()
    assert record.completed_at is None

    record = services.handover_update(
        handover=record, actor=helle, values={"health_details": SECRET}
    )
    # A page read before the health part was saved is stale: refused, naming who changed it.
    stale = caseworker.post(url, {"version": record.version - 1}, follow=True).content.decode()
    assert "The handover was changed by helle" in stale
    # Health staff write their part but do not mark the record complete.
    assert health_staff.post(url, {"version": record.version}).status_code == 403
    record.refresh_from_db()
    assert record.completed_at is None

    done = caseworker.post(url, {"version": record.version}, follow=True)
    assert done.redirect_chain == [(reverse("handover:detail", args=[record.pk]), 302)]
    assert "The handover is complete." in done.content.decode()
    record.refresh_from_db()
    assert record.completed_at is not None
    assert record.completed_by == carla
