"""Bulk reads leave a trace: every list of people writes one access-log row naming each person
returned, with the filter used; the auditor finds those rows by person; and a user who reads more
than the configured number of people in an hour raises an alert to the auditors."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from program.audit.models import AccessLogEntry
from program.notifications.models import Notification
from tests.inmates.factories import InmateFactory, NonAssociationFactory, PlacementFactory
from tests.transfers.factories import TransferCaseFactory

pytestmark = pytest.mark.django_db


def _ids(*people) -> list[str]:
    return [str(person.pk) for person in people]


def _only_row() -> AccessLogEntry:
    return AccessLogEntry.objects.get()


def test_the_inmate_api_list_names_everyone_on_the_page(caseworker) -> None:
    people = sorted((InmateFactory() for _ in range(5)), key=lambda p: (p.name, p.case_number))
    response = caseworker.get(
        reverse("api:inmate-list"), {"page_size": 3, "page": 2, "ordering": "name"}
    )
    assert response.status_code == 200
    returned = [row["id"] for row in response.json()["results"]]
    entry = _only_row()
    assert entry.subject_ids == [str(pk) for pk in returned]
    assert entry.subject_ids == _ids(*people[3:])
    assert (entry.action, entry.subject_type, entry.route) == ("list", "inmate", "api:inmate-list")
    assert entry.actor_username == "carla"


def test_a_filtered_placement_list_names_the_person_and_records_the_filter(
    occupancy_admin,
) -> None:
    placement = PlacementFactory()
    PlacementFactory()  # someone else, filtered out
    response = occupancy_admin.get(reverse("api:placement-list"), {"inmate": placement.inmate_id})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    entry = _only_row()
    assert entry.subject_ids == [str(placement.inmate_id)]
    assert (entry.action, entry.criterion) == ("search", {"inmate": str(placement.inmate_id)})


def test_the_non_association_list_names_both_people_of_each_pair(caseworker) -> None:
    first, second = sorted((InmateFactory(), InmateFactory()), key=lambda p: p.pk)
    NonAssociationFactory(inmate_a=first, inmate_b=second)
    assert caseworker.get(reverse("api:non-association-list")).status_code == 200
    assert _only_row().subject_ids == _ids(first, second)


def test_the_transfer_case_list_names_the_people_whose_cases_it_returns(caseworker) -> None:
    carla = get_user_model().objects.get(username="carla")
    cases = [TransferCaseFactory(caseworker=carla), TransferCaseFactory(caseworker=carla)]
    response = caseworker.get(reverse("api:transfer-case-list"))
    assert response.status_code == 200
    entry = _only_row()
    assert sorted(entry.subject_ids) == sorted(_ids(*(case.inmate for case in cases)))
    assert entry.subject_type == "inmate"


def test_the_list_pages_name_everyone_they_show(caseworker) -> None:
    case = TransferCaseFactory(caseworker=get_user_model().objects.get(username="carla"))
    alone = InmateFactory()
    assert caseworker.get(reverse("inmates:list"), {"search": alone.case_number}).status_code == 200
    assert caseworker.get(reverse("transfers:worklist")).status_code == 200
    inmate_page, worklist = AccessLogEntry.objects.order_by("id")
    assert (inmate_page.subject_ids, inmate_page.criterion) == (
        _ids(alone),
        {"search": alone.case_number},
    )
    assert inmate_page.route == "inmates:list"
    assert worklist.subject_ids == _ids(case.inmate)
    assert worklist.route == "transfers:worklist"


def test_the_auditor_finds_a_list_read_by_person(caseworker, auditor) -> None:
    wanted, other = InmateFactory(), InmateFactory()
    caseworker.get(reverse("api:inmate-list"), {"search": wanted.case_number})
    caseworker.get(reverse("api:inmate-list"), {"search": other.case_number})
    found = auditor.get(
        reverse("audit:access-log"), {"subject_type": "inmate", "subject_id": wanted.pk}
    )
    rows = list(found.context["page"].object_list)
    assert [row.criterion for row in rows] == [{"search": wanted.case_number}]
    report = auditor.get(
        reverse("audit:subject-report"), {"subject_type": "inmate", "subject_id": wanted.pk}
    )
    lines = report.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2  # the heading and the one list that named the person
    assert "Searched" in lines[1]


def _security_events(caplog, name: str) -> list[dict]:
    return [
        getattr(record, "security", {})
        for record in caplog.records
        if record.name == "program.security" and getattr(record, "event", "") == name
    ]


def test_reading_more_people_than_the_limit_in_an_hour_alerts_the_auditors(
    settings, caseworker, auditor, caplog
) -> None:
    settings.AUDIT_BULK_READ_ALERT_PEOPLE = 4
    for _ in range(6):
        InmateFactory()
    caplog.set_level(logging.INFO, logger="program.security")
    # Three people: under the limit, no alert.
    caseworker.get(reverse("api:inmate-list"), {"page_size": 3, "ordering": "name"})
    assert not Notification.objects.filter(kind=Notification.Kind.BULK_READ).exists()
    # The same three again and three more: six distinct people, over four.
    caseworker.get(reverse("api:inmate-list"), {"page_size": 3, "ordering": "name"})
    caseworker.get(reverse("api:inmate-list"), {"page_size": 3, "page": 2, "ordering": "name"})
    alert = Notification.objects.get(kind=Notification.Kind.BULK_READ)
    assert alert.recipient.username == "aud"
    carla = get_user_model().objects.get(username="carla")
    assert (alert.subject_type, alert.subject_id) == ("user", str(carla.pk))
    assert alert.text.startswith("carla has read the records of 6 people within an hour")
    assert alert.link == reverse("audit:access-log") + "?user=carla"
    events = _security_events(caplog, "bulk_read_alert")
    assert len(events) == 1
    assert (events[0]["username"], events[0]["people"], events[0]["limit"]) == ("carla", 6, 4)
    # Further reading within the hour does not repeat the alert.
    caseworker.get(reverse("inmates:list"))
    assert Notification.objects.filter(kind=Notification.Kind.BULK_READ).count() == 1
    assert len(_security_events(caplog, "bulk_read_alert")) == 1
    # The auditor sees it among their notifications.
    listed = auditor.get(reverse("api:notification-list"))
    assert any(n["kind"] == "bulk_read" for n in listed.json()["results"])


def test_record_views_count_towards_the_limit_and_other_users_do_not(
    settings, caseworker, occupancy_admin, auditor
) -> None:
    settings.AUDIT_BULK_READ_ALERT_PEOPLE = 2
    people = [InmateFactory() for _ in range(3)]
    for person in people[:2]:
        occupancy_admin.get(reverse("api:inmate-detail", args=[person.pk]))
    occupancy_admin.get(reverse("api:inmate-list"), {"search": people[2].case_number})
    caseworker.get(reverse("api:inmate-list"), {"page_size": 2})
    alerts = Notification.objects.filter(kind=Notification.Kind.BULK_READ)
    assert [alert.text.split(" ")[0] for alert in alerts] == ["otto"]


def test_the_alert_limit_comes_from_the_environment() -> None:
    root = Path(__file__).resolve().parents[2]
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.AUDIT_BULK_READ_ALERT_PEOPLE)",
        ],
        cwd=root,
        env={**os.environ, "AUDIT_BULK_READ_ALERT_PEOPLE": "250"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert shown.stdout.strip().splitlines()[-1] == "250"


@pytest.mark.parametrize("pairs", [1, 12])
def test_the_non_association_list_query_count_is_flat(
    caseworker, django_assert_num_queries, pairs
) -> None:
    for _ in range(pairs):
        first, second = sorted((InmateFactory(), InmateFactory()), key=lambda p: p.pk)
        NonAssociationFactory(inmate_a=first, inmate_b=second)
    # 1 session, 2 user, 3 user's groups (roles), 4 count for pagination, 5 the page of pairs,
    # 6 the access-log row naming both people of every pair, written in the statement that
    # counts the reader's distinct people this hour (the bulk-read check)
    with django_assert_num_queries(5):
        response = caseworker.get(reverse("api:non-association-list"))
    assert response.status_code == 200
    assert len(AccessLogEntry.objects.get().subject_ids) == 2 * pairs
