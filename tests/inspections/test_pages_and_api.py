"""The inspection pages and API: who reaches what, the access log for a finding about a person,
the overdue queue and its count, and the query counts of the lists."""

from datetime import date

import pytest
from django.urls import reverse

from program.audit.models import AccessLogEntry
from program.audit.purpose import SESSION_KEY
from program.inspections import services
from program.inspections.models import FindingAction, Inspection
from tests.factories import FacilityFactory
from tests.inmates.factories import InmateFactory
from tests.inspections.helpers import action, body, done, finding, inspection, person

pytestmark = pytest.mark.django_db


def _about_person() -> tuple[object, object]:
    visit = inspection()
    someone = InmateFactory()
    found = services.finding_record(
        inspection=visit,
        title="No interpreter",
        text="Heard without an interpreter",
        severity="high",
        concerns="person",
        person=someone,
        actor=person("gunnar"),
    )
    return found, someone


def _with_purpose(client, inmate_id: int) -> None:
    session = client.session
    session[SESSION_KEY] = {f"inmate:{inmate_id}": "audit"}
    session.save()


def test_the_governor_records_an_inspection_a_finding_and_an_action_on_the_pages(governor) -> None:
    facility = FacilityFactory()
    response = governor.post(
        reverse("inspections:create"),
        {
            "body": body().pk,
            "facility": facility.pk,
            "kind": "unannounced",
            "starts_on": "2026-10-20",
            "ends_on": "2026-10-21",
            "reference": "OPCAT-17",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Inspection.objects.get()
    response = governor.post(
        reverse("inspections:finding-create", args=[visit.pk]),
        {
            "title": "Visiting room",
            "text": "No privacy for children's visits",
            "severity": "medium",
            "concerns": "practice",
            "practice": "Children's visits",
        },
    )
    assert response.status_code == 302
    found = visit.findings.get()
    response = governor.post(
        reverse("inspections:action-add", args=[found.pk]),
        {"title": "Furnish a room", "owner": "Director", "deadline": "2027-03-01"},
    )
    assert response.status_code == 302
    row = found.actions.get()
    response = governor.post(
        reverse("inspections:action-update", args=[row.pk]),
        {f"a{row.pk}-status": "done", f"a{row.pk}-expected_version": row.version},
    )
    assert response.status_code == 400
    assert "Give the day the action was done" in response.content.decode()
    response = governor.post(
        reverse("inspections:action-update", args=[row.pk]),
        {
            f"a{row.pk}-status": "done",
            f"a{row.pk}-done_on": "2026-11-20",
            f"a{row.pk}-evidence": "Seen by the governor",
            f"a{row.pk}-expected_version": row.version,
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "done"


def test_the_auditor_reads_but_may_not_write(auditor) -> None:
    found = finding()
    assert auditor.get(reverse("inspections:detail", args=[found.inspection_id])).status_code == 200
    assert auditor.get(reverse("inspections:finding-detail", args=[found.pk])).status_code == 200
    refused = auditor.post(
        reverse("inspections:action-add", args=[found.pk]),
        {"title": "x", "owner": "y", "deadline": "2027-01-01"},
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("client_name", ["finance_officer", "host_manager", "caseworker"])
def test_others_do_not_reach_the_inspection_pages(client_name, request) -> None:
    found = finding()
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("inspections:finding-detail", args=[found.pk])).status_code == 403
    assert client.get("/api/v1/findings/").status_code == 403


def test_opening_a_finding_about_a_person_asks_why_and_logs_the_read(governor) -> None:
    found, someone = _about_person()
    url = reverse("inspections:finding-detail", args=[found.pk])
    asked = governor.get(url)
    assert asked.status_code == 200
    assert "purpose" in asked.content.decode().lower()
    assert not AccessLogEntry.objects.filter(subject_id=str(someone.pk)).exists()
    _with_purpose(governor, someone.pk)
    shown = governor.get(url)
    assert someone.name in shown.content.decode()
    entry = AccessLogEntry.objects.get(subject_type="inmate", subject_id=str(someone.pk))
    assert entry.actor is not None
    assert (entry.action, entry.actor.username, entry.route) == (
        "view",
        "gunnar",
        "inspections:finding-detail",
    )
    # The inspection page lists the finding without naming the person: not a read.
    page = governor.get(reverse("inspections:detail", args=[found.inspection_id]))
    assert someone.name not in page.content.decode()
    assert AccessLogEntry.objects.count() == 1


def test_the_api_logs_a_finding_about_a_person_read_and_listed(auditor) -> None:
    found, someone = _about_person()
    assert auditor.get(f"/api/v1/findings/{found.pk}/").status_code == 200
    assert auditor.get("/api/v1/findings/").status_code == 200
    entries = AccessLogEntry.objects.filter(subject_type="inmate").order_by("pk")
    assert entries[0].subject_id == str(someone.pk)
    assert entries[1].subject_ids == [str(someone.pk)]


def test_the_api_writes_with_if_match(governor) -> None:
    found = finding()
    created = governor.post(
        "/api/v1/finding-actions/",
        {"finding": found.pk, "title": "Plan", "owner": "Director", "deadline": "2027-01-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"/api/v1/finding-actions/{pk}/"
    assert (
        governor.patch(url, {"status": "in_progress"}, content_type="application/json").status_code
        == 428
    )
    etag = governor.get(url)["ETag"]
    moved = governor.patch(
        url, {"status": "in_progress"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert moved.status_code == 200
    stale = governor.patch(
        url, {"status": "open"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    detail = governor.get(f"/api/v1/findings/{found.pk}/").json()
    assert detail["status"] == "in_progress"
    assert governor.get("/api/v1/inspections/?no_such=1").status_code == 400


def test_overdue_actions_are_a_work_queue_with_a_count(governor, occupancy_admin, auditor) -> None:
    found = finding()
    late = action(found, title="Late plan", deadline=date(2026, 10, 1))
    action(found, title="Future plan", deadline=date(2099, 1, 1))
    finished = action(found, title="Done plan", deadline=date(2026, 10, 1))
    done(finished)
    home = governor.get(reverse("home"))
    assert "Inspection actions past their deadline" in home.content.decode()
    assert "Late plan" in home.content.decode()
    assert "Done plan" not in home.content.decode()
    page = occupancy_admin.get(reverse("inspections:overdue"))
    rows = page.context["actions"]
    assert [a.pk for a in rows] == [late.pk]
    assert (
        "Inspection actions past their deadline"
        not in auditor.get(reverse("home")).content.decode()
    )
    listed = governor.get("/api/v1/finding-actions/?overdue=true").json()
    assert [r["id"] for r in listed["results"]] == [late.pk]
    assert FindingAction.objects.count() == 3


@pytest.mark.parametrize("findings", [1, 6])
def test_the_list_pages_run_a_fixed_number_of_queries(
    governor, findings, django_assert_num_queries
) -> None:
    visit = inspection()
    for n in range(findings):
        action(finding(visit, title=f"Finding {n}"))
    governor.get(reverse("inspections:list"))
    # 1 session, 2 user with roles, 3 the inspections with their counts, 4 the overdue count,
    # 5 the header's work-queue count.
    with django_assert_num_queries(5):
        assert governor.get(reverse("inspections:list")).status_code == 200
    # 1 session, 2 user, 3 the inspection, 4 its findings, 5 their actions, 6 the header count.
    with django_assert_num_queries(6):
        assert governor.get(reverse("inspections:detail", args=[visit.pk])).status_code == 200
    # 1 session, 2 user, 3 the overdue actions with their findings, 4 the header count.
    with django_assert_num_queries(4):
        assert governor.get(reverse("inspections:overdue")).status_code == 200


@pytest.mark.parametrize("findings", [1, 6])
def test_the_findings_api_runs_a_fixed_number_of_queries(
    auditor, findings, django_assert_num_queries
) -> None:
    visit = inspection()
    for n in range(findings):
        action(finding(visit, title=f"Finding {n}"))
    auditor.get("/api/v1/findings/")
    # 1 session, 2 user with roles, 3 count, 4 findings, 5 their actions, 6 the access-log row.
    with django_assert_num_queries(6):
        assert auditor.get("/api/v1/findings/").status_code == 200
