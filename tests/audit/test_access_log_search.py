"""The auditor finds who looked at a person by case number or name, is told what went wrong
when a filter cannot be read, and reaches the log from the person's record."""

import pytest
from django.urls import reverse

from program.audit.models import AccessLogEntry
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db


def _viewed(inmate, by: str = "carla") -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        action="view", subject_type="inmate", subject_id=str(inmate.pk), actor_username=by
    )


def _search(client, **filters):
    return client.get(reverse("audit:access-log"), filters)


def test_a_case_number_in_any_letter_case_finds_the_entries_about_the_person(auditor) -> None:
    person = InmateFactory(case_number="KF-2026-30022", name="Pia Private")
    other = InmateFactory()
    _viewed(person)
    _viewed(other)
    AccessLogEntry.objects.create(
        action="search", subject_type="inmate", subject_ids=[str(other.pk), str(person.pk)]
    )
    response = _search(auditor, person="kf-2026-30022")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 + 0  # the view and the list
    assert "Pia Private (KF-2026-30022)" in response.content.decode()
    # The search named the person: the auditor's look is itself logged.
    logged = AccessLogEntry.objects.filter(actor_username="aud").get()
    assert logged.subject_ids == [str(person.pk)]


def test_part_of_a_name_finds_every_person_it_matches(auditor) -> None:
    first = InmateFactory(name="Jonas Ahmadi")
    second = InmateFactory(name="Sara Ahmadi")
    _viewed(first)
    _viewed(second)
    InmateFactory(name="Someone Else")
    response = _search(auditor, person="ahmadi")
    assert response.context["page"].paginator.count == 2


def test_an_unknown_case_number_is_a_field_error_not_an_empty_list(auditor) -> None:
    _viewed(InmateFactory())
    response = _search(auditor, person="KF-0000-00000")
    assert response.status_code == 400
    assert response.context["page"].paginator.count == 0
    assert "No inmate has this case number or a name containing it." in response.content.decode()


def test_an_unreadable_date_answers_with_its_error_and_no_rows(auditor) -> None:
    _viewed(InmateFactory())
    response = _search(auditor, start="31-12-2026")
    assert response.status_code == 400
    assert response.context["page"].paginator.count == 0
    assert "Enter the date as YYYY-MM-DD" in response.content.decode()


def test_an_end_before_the_start_is_refused(auditor) -> None:
    response = _search(auditor, start="2026-12-03", end="2026-12-01")
    assert response.status_code == 400
    assert "The end date is before the start date" in response.content.decode()


def test_a_case_number_typed_as_a_subject_id_gets_a_hint(auditor) -> None:
    _viewed(InmateFactory(case_number="KF-2026-1"))
    body = _search(auditor, subject_id="KF-2026-1").content.decode()
    assert 'data-testid="access-log-hint"' in body
    assert "Case number or name" in body


def test_the_page_and_request_id_are_details_on_demand(auditor) -> None:
    AccessLogEntry.objects.create(
        action="view", subject_type="inmate", subject_id="1", route="inmates:detail"
    )
    body = _search(auditor).content.decode()
    assert "<details><summary>Show" in body
    assert '<th scope="col">Route</th>' not in body


def test_the_persons_record_links_to_who_looked_at_it_for_the_auditor_only(
    auditor, caseworker
) -> None:
    person = InmateFactory()
    link = f"{reverse('audit:access-log')}?subject_type=inmate&amp;subject_id={person.pk}"
    url = reverse("inmates:detail", args=[person.pk])
    auditor.post(
        reverse("audit:purpose"),
        {"subject_type": "inmate", "subject_id": person.pk, "next": url, "purpose": "audit"},
    )
    assert link in auditor.get(url).content.decode()
    assert 'data-testid="who-looked"' not in caseworker.get(url).content.decode()
