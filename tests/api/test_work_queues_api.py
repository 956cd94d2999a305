"""/api/v1/work-queues/: the home page's "Waiting for you" for an integration, with the counts
and each item's API resource, the user's own queues only, refusing any query parameter."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from program.cells import services as cell_services
from program.core.roles import Role
from program.inmates.models import Inmate
from tests.api_tokens import token_for
from tests.factories import CellFactory, PlaceFactory, UnitFactory
from tests.finance.helpers import first_rent, invoiced, scheduled, user

pytestmark = pytest.mark.django_db

URL = "/api/v1/work-queues/"


def _api(person) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(person)}")


def test_an_approver_gets_the_tranche_waiting_with_its_api_resource(
    django_assert_num_queries,
) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    tranche = invoiced(first_rent(scheduled()))
    client = _api(anders)
    # The token with its user, its last use (a throttled upsert), the roles, the counts (one
    # SELECT of scalar subqueries) and the queue's rows: five, however many items wait.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
    [queue] = response.json()
    assert queue["key"] == "tranches_awaiting_my_approval"
    assert queue["count"] == 1
    assert queue["truncated"] is False
    assert queue["web_url"] == reverse("finance:schedule") + "?waiting=mine"
    [item] = queue["items"]
    assert item["id"] == tranche.pk
    assert item["api_url"] == reverse("api:tranche-detail", args=[tranche.pk])
    assert item["web_url"] == tranche.get_absolute_url()
    # The link leads to the resource, readable with the same token.
    assert client.get(item["api_url"]).json()["id"] == tranche.pk


def _person(case_number: str) -> Inmate:
    return Inmate.objects.create(
        case_number=case_number,
        name="Test Person",
        date_of_birth=date(1985, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )


def test_the_occupancy_administrator_gets_both_queues_with_counts_and_no_names(make_user) -> None:
    olga = make_user("olga", Role.OCCUPANCY_ADMIN)
    unit = UnitFactory(code="A", name="Unit A")
    today = timezone.localdate()
    reservations = [
        cell_services.reservation_create(
            inmate=_person(f"KF-{n}"),
            place=PlaceFactory(cell=CellFactory(unit=unit, number=f"A-10{n}")),
            arrival_on=arrival,
            reason="Booked",
            actor=None,
        )
        for n, arrival in enumerate([today, today - timedelta(days=2), today - timedelta(days=1)])
    ]
    response = _api(olga).get(URL)
    assert response.status_code == 200
    body = response.json()
    by_key = {queue["key"]: queue for queue in body}
    # The inspections app adds the overdue promised actions to the occupancy queues.
    assert [q["key"] for q in body] == [
        "arrivals_today",
        "overdue_reservations",
        "inspection_actions_overdue",
    ]
    assert by_key["arrivals_today"]["count"] == 1
    assert [i["api_url"] for i in by_key["arrivals_today"]["items"]] == [
        reverse("api:placement-detail", args=[reservations[0].pk])
    ]
    overdue = by_key["overdue_reservations"]
    assert overdue["count"] == 2
    assert [i["id"] for i in overdue["items"]] == [reservations[1].pk, reservations[2].pk]
    assert all(i["urgent"] for i in overdue["items"])
    assert "Test Person" not in response.content.decode()


def test_a_caseworker_gets_their_cases_and_a_role_without_queues_gets_none(
    make_user,
) -> None:
    from tests.transfers.factories import case_in

    carla = make_user("carla", Role.CASEWORKER)
    mine = case_in("identified", caseworker=carla)
    case_in("identified", caseworker=make_user("other", Role.CASEWORKER))
    # The complaints app adds a second queue (answers due); the cases come first.
    queue, *others = _api(carla).get(URL).json()
    assert [q["key"] for q in others] == ["complaint_answers_due"]
    assert queue["key"] == "cases_needing_my_action"
    assert [i["api_url"] for i in queue["items"]] == [
        reverse("api:transfer-case-detail", args=[mine.pk])
    ]
    auditor = make_user("aud", Role.AUDITOR)
    response = _api(auditor).get(URL)
    assert (response.status_code, response.json()) == (200, [])


def test_any_query_parameter_is_refused_by_name() -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    response = _api(anders).get(URL, {"mine": "true"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "mine" in error["details"]
    assert "It accepts: none." in error["message"]


def test_signing_in_is_required() -> None:
    assert Client().get(URL).status_code in (401, 403)


def test_the_schema_documents_it() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    get = schema["paths"][URL]["get"]
    assert get["summary"] == "My work queues, with counts and the items waiting"
    assert not [p for p in get.get("parameters", []) if p["in"] == "query"]
