"""Complaint pages and API: who reaches what, what the host facility's staff never see, the
access log, query counts, the person's record, the work queue and the programme report."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from program.audit.models import AccessLogEntry
from program.audit.purpose import SESSION_KEY
from program.complaints import services
from program.complaints.models import Complaint, Kind
from program.complaints.selectors import report_counts
from tests.complaints.helpers import (
    authorities,
    days_ago,
    facility_with_rules,
    pdf,
    placed,
    post,
    user,
)

pytestmark = pytest.mark.django_db

SECRET = "zq-the-officer-hit-him-zq"
ANSWER = "zq-answer-words-zq"


@pytest.fixture
def world(caseworker, host_officer, governor, auditor):
    facility = facility_with_rules()
    post("arben", facility)
    inmate = placed(facility, name="Zoran Example")
    authority = authorities()
    complaint = services.complaint_register(
        actor=user("carla"),
        inmate=inmate,
        received_on=days_ago(20),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        kind=Kind.STAFF_TREATMENT,
        subject=SECRET,
        language="Serbian",
        authority=authority["kf"],
        letter=pdf(),
    )
    return {"facility": facility, "inmate": inmate, "complaint": complaint, "kf": authority["kf"]}


def _say_why(client, inmate_id: int) -> None:
    session = client.session
    session[SESSION_KEY] = {f"inmate:{inmate_id}": "audit"}
    session.save()


def test_the_detail_shows_the_complaint_and_logs_the_view(world, governor) -> None:
    complaint = world["complaint"]
    _say_why(governor, complaint.inmate_id)
    page = governor.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert SECRET in page
    entry = AccessLogEntry.objects.filter(actor__username="gunnar", action="view").get()
    assert entry.subject_id == str(complaint.inmate_id)
    assert entry.criterion == {"complaint": complaint.pk}


def test_the_detail_asks_why_before_it_shows_anything(world, auditor) -> None:
    page = auditor.get(reverse("complaints:detail", args=[world["complaint"].pk]))
    assert SECRET not in page.content.decode()
    assert not AccessLogEntry.objects.filter(action="view").exists()


def test_host_staff_see_receipts_without_contents(world, host_officer) -> None:
    complaint = world["complaint"]
    receipts = host_officer.get(reverse("complaints:receipts")).content.decode()
    assert f"#{complaint.pk}" in receipts
    api = host_officer.get(reverse("api:complaint-receipt-list")).content.decode()
    for body in (receipts, api):
        for secret in (SECRET, "Serbian", "Treatment by staff", "staff_treatment", "deadline"):
            assert secret not in body
    # The Danish pages, the API and the documents are closed to them.
    for url in (
        reverse("complaints:list"),
        reverse("complaints:detail", args=[complaint.pk]),
        reverse("api:complaint-list"),
        reverse("api:complaint-detail", args=[complaint.pk]),
        reverse("complaints:document-download", args=[complaint.documents.get().pk]),
    ):
        assert host_officer.get(url).status_code == 403, url
    # Listing the receipts names the people on it in the access log.
    entry = AccessLogEntry.objects.filter(actor__username="arben").first()
    assert entry is not None
    assert entry.subject_ids == [str(complaint.inmate_id)]


def test_host_staff_record_a_receipt_on_the_page(world, host_officer) -> None:
    response = host_officer.post(
        reverse("complaints:receipt-create"),
        {
            "inmate": world["inmate"].pk,
            "received_on": days_ago(1).isoformat(),
            "channel": Complaint.Channel.SEALED_TO_OMBUDSMAN,
            "sealed": "on",
        },
    )
    assert response.status_code == 302
    receipt = Complaint.objects.exclude(pk=world["complaint"].pk).get()
    assert receipt.sealed
    assert receipt.facility == world["facility"]


def test_a_receipt_for_someone_elsewhere_is_refused_at_the_field(world, host_officer) -> None:
    elsewhere = placed(facility_with_rules())
    response = host_officer.post(
        reverse("complaints:receipt-create"),
        {
            "inmate": elsewhere.pk,
            "received_on": days_ago(1).isoformat(),
            "channel": Complaint.Channel.LETTER_TO_STAFF,
        },
    )
    assert response.status_code == 200
    assert Complaint.objects.count() == 1


def test_the_list_filters_and_logs_everyone_on_it(world, caseworker) -> None:
    # The world's complaint (14 days, received 20 days ago) is overdue; this one is not.
    fresh = services.complaint_register(
        actor=user("carla"),
        inmate=placed(world["facility"]),
        received_on=days_ago(1),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.CONDITIONS,
        authority=world["kf"],
    )
    overdue = world["complaint"]
    page = caseworker.get(reverse("complaints:list") + "?status=overdue").content.decode()
    assert f">#{overdue.pk}<" in page
    assert f">#{fresh.pk}<" not in page
    entry = AccessLogEntry.objects.filter(actor__username="carla").latest("at")
    assert entry.subject_ids == [str(overdue.inmate_id)]
    assert entry.criterion == {"status": "overdue"}


@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(
    world, caseworker, rows, django_assert_num_queries
) -> None:
    for _ in range(rows - 1):
        services.complaint_register(
            actor=user("carla"),
            inmate=placed(world["facility"]),
            received_on=days_ago(3),
            channel=Complaint.Channel.EMAIL,
            kind=Kind.OTHER,
            authority=world["kf"],
        )
    caseworker.get(reverse("complaints:list"))
    # 1 session, 2 user (roles, unread count), 3 the header's work-queue count, 4 the
    # authorities for the filter, 5 the count, 6 the page's rows (with inmate, authority,
    # facility and people joined), 7 the access-log row.
    with django_assert_num_queries(7):
        response = caseworker.get(reverse("complaints:list"))
    assert response.status_code == 200


def test_the_api_answers_with_if_match_and_logs_reads(world, caseworker) -> None:
    complaint = world["complaint"]
    url = reverse("api:complaint-detail", args=[complaint.pk])
    read = caseworker.get(url)
    assert read.status_code == 200
    assert read.json()["subject"] == SECRET
    assert AccessLogEntry.objects.filter(action="view", route="api:complaint-detail").exists()
    answer = reverse("api:complaint-answer", args=[complaint.pk])
    body = {"answered_on": days_ago(1).isoformat(), "answer": ANSWER}
    assert caseworker.post(answer, body, content_type="application/json").status_code == 428
    stale = caseworker.post(answer, body, content_type="application/json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 412
    done = caseworker.post(
        answer, body, content_type="application/json", HTTP_IF_MATCH=read["ETag"]
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "answered"


def test_the_api_list_refuses_an_unknown_filter(world, auditor) -> None:
    assert auditor.get(reverse("api:complaint-list") + "?colour=red").status_code == 400
    listed = auditor.get(reverse("api:complaint-list") + "?status=open")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1


def test_the_auditor_reads_but_does_not_write(world, auditor) -> None:
    response = auditor.post(
        reverse("api:complaint-list"),
        {"inmate": world["inmate"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_persons_record_lists_the_complaints_for_readers_only(
    world, caseworker, occupancy_admin
) -> None:
    inmate = world["inmate"]
    for client in (caseworker, occupancy_admin):
        _say_why(client, inmate.pk)
    page = caseworker.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert 'data-testid="complaint-link"' in page
    page = occupancy_admin.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert 'data-testid="complaint-link"' not in page


def test_answers_due_are_counted_on_the_home_page(world, governor) -> None:
    # Received 20 days ago with 14 days to answer: overdue, handled by the caseworker; a
    # receipt with no handler yet is the governor's to see.
    services.complaint_receipt_record(
        actor=user("arben"),
        inmate=world["inmate"],
        received_on=days_ago(25),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        sealed=False,
    )
    page = governor.get(reverse("home")).content.decode()
    assert "Complaint answers due" in page
    assert 'data-testid="nav-count"' in page


def test_the_report_counts_by_the_days_recorded(world) -> None:
    complaint = world["complaint"]  # received 20 days ago, 14 days: overdue since 6 days ago
    in_time = services.complaint_register(
        actor=user("carla"),
        inmate=placed(world["facility"]),
        received_on=days_ago(10),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.CONDITIONS,
        authority=world["kf"],
    )
    services.complaint_answer(
        complaint=in_time, actor=user("carla"), answered_on=days_ago(2), answer="Done."
    )
    today = timezone.localdate()
    counts = report_counts(
        agreement_id=world["facility"].agreement_id,
        start=today - timedelta(days=30),
        until=today + timedelta(days=1),
    )
    assert (counts.received, counts.answered, counts.answered_in_time, counts.overdue) == (
        2,
        1,
        1,
        1,
    )
    assert counts.by_kind[Kind.STAFF_TREATMENT] == 1
    assert counts.by_kind[Kind.CONDITIONS] == 1
    # Answering the overdue one late leaves an earlier period's overdue count as it was.
    services.complaint_answer(
        complaint=complaint, actor=user("carla"), answered_on=today, answer="Late."
    )
    before = report_counts(
        agreement_id=world["facility"].agreement_id,
        start=today - timedelta(days=30),
        until=today,
    )
    assert before.overdue == 1
    after = report_counts(
        agreement_id=world["facility"].agreement_id,
        start=today - timedelta(days=30),
        until=today + timedelta(days=1),
    )
    assert (after.overdue, after.answered, after.answered_in_time) == (0, 2, 1)
