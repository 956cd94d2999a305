"""The finance API: the tranche list and its moves, and the cost per occupied place-day."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from finance import services
from finance.models import Tranche
from program.core.roles import Role
from tests.finance.helpers import approved, due, first_rent, invoiced, scheduled, user

pytestmark = pytest.mark.django_db


CURRENT = object()  # _act's default: send the tranche's current ETag, as a fresh read would


def _etag(tranche: Tranche) -> str:
    return f'"{Tranche.objects.values_list("version", flat=True).get(pk=tranche.pk)}"'


def _act(client: Client, name: str, tranche: Tranche, if_match: object = CURRENT, **body: object):
    headers = {}
    if if_match is CURRENT:
        headers["HTTP_IF_MATCH"] = _etag(tranche)
    elif if_match is not None:
        headers["HTTP_IF_MATCH"] = str(if_match)
    return client.post(
        reverse(f"api:tranche-{name}", args=[tranche.pk]),
        body,
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def tranche(finance_officer) -> Tranche:
    return first_rent(scheduled())


def test_the_list_filters_by_agreement_stream_status_and_year(auditor) -> None:
    terms = scheduled()
    scheduled()
    response = auditor.get(
        "/api/v1/tranches/",
        {"agreement": terms.agreement_id, "stream": "rent", "status": "planned", "year": 2027},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert {row["due_on"][:4] for row in body["results"]} == {"2027"}
    assert body["results"][0]["amount"] == "3750000.00"


@pytest.mark.parametrize("agreements", [1, 3])
def test_tranche_list_query_count(auditor, django_assert_num_queries, agreements) -> None:
    for _ in range(agreements):
        approved(first_rent(scheduled()))
    # session, user, roles, count for pagination, the page of tranches with their payment
    with django_assert_num_queries(4):
        response = auditor.get("/api/v1/tranches/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] == 81 * agreements


def test_tranche_detail_has_its_payment(auditor, finance_officer, tranche) -> None:
    tranche = approved(tranche)
    _act(
        finance_officer,
        "pay",
        tranche,
        paid_on="2026-04-10",
        bank_reference="DK-9",
        amount="3750000.00",
        eur_dkk_rate="7.46",
    )
    body = auditor.get(f"/api/v1/tranches/{tranche.pk}/").json()
    assert body["status"] == "paid"
    assert body["payment"]["amount_dkk"] == "27975000.00"


def test_officer_invoices_two_approvers_approve_and_the_officer_pays(
    finance_officer, finance_approver, second_approver, tranche
) -> None:
    tranche = due(tranche)
    read_etag = finance_officer.get(f"/api/v1/tranches/{tranche.pk}/")["ETag"]
    response = _act(
        finance_officer,
        "invoice",
        tranche,
        invoice_reference="KOS-1",
        invoiced_on="2026-04-02",
        amount="3750000.00",
        if_match=read_etag,
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{response.json()["version"]}"'  # the next move's If-Match
    assert response.json()["status"] == "invoiced"
    assert _act(finance_approver, "approve", tranche).json()["status"] == "invoiced"
    assert _act(second_approver, "approve", tranche, comment="OK").json()["status"] == "approved"
    response = _act(
        finance_officer,
        "pay",
        tranche,
        paid_on="2026-04-10",
        bank_reference="DK-1",
        amount="3750000.00",
        eur_dkk_rate="7.4600",
    )
    assert response.json()["status"] == "paid"


def test_a_mismatched_invoice_is_400_with_the_difference(finance_officer, tranche) -> None:
    tranche = due(tranche)
    response = _act(
        finance_officer,
        "invoice",
        tranche,
        invoice_reference="KOS-1",
        invoiced_on="2026-04-02",
        amount="3750100.00",
    )
    assert response.status_code == 400
    assert "differs by EUR 100.00" in response.json()["error"]["message"]


def test_an_illegal_move_is_409_naming_the_status(finance_officer, tranche) -> None:
    response = _act(
        finance_officer,
        "pay",
        tranche,
        paid_on="2026-04-10",
        bank_reference="DK-1",
        amount="3750000.00",
        eur_dkk_rate="7.46",
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"].startswith("The tranche is planned")


def test_a_rejection_without_a_comment_is_400(finance_approver, tranche) -> None:
    tranche = invoiced(tranche)
    response = _act(finance_approver, "reject", tranche)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Say why the tranche is rejected."
    assert _act(finance_approver, "reject", tranche, comment="Wrong").json()["status"] == "due"


def test_dispute_and_withhold_by_their_roles(finance_officer, finance_approver, tranche) -> None:
    tranche = due(tranche)
    assert _act(finance_officer, "withhold", tranche, reason="x").status_code == 403
    response = _act(finance_officer, "dispute", tranche, reason="Short delivery")
    assert (response.json()["status"], response.json()["reason"]) == ("disputed", "Short delivery")
    assert _act(finance_approver, "withhold", tranche, reason="Audit").json()["status"] == (
        "withheld"
    )


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("finance_approver", "invoice"),
        ("finance_approver", "pay"),
        ("finance_officer", "approve"),
        ("finance_officer", "reject"),
        ("auditor", "dispute"),
        ("caseworker", "dispute"),
    ],
)
def test_a_role_without_the_move_is_403(persona, who, name) -> None:
    client = persona(who)
    tranche = due(first_rent(scheduled()))
    response = _act(client, name, tranche, reason="x", comment="x")
    assert response.status_code == 403
    assert Tranche.objects.get(pk=tranche.pk).status == "due"


MOVES = {
    "invoice": (
        "finance_officer",
        {"invoice_reference": "KOS-1", "invoiced_on": "2026-04-02", "amount": "3750000.00"},
    ),
    "approve": ("finance_approver", {}),
    "reject": ("finance_approver", {"comment": "Wrong period"}),
    "pay": (
        "finance_officer",
        {
            "paid_on": "2026-04-10",
            "bank_reference": "DK-1",
            "amount": "3750000.00",
            "eur_dkk_rate": "7.46",
        },
    ),
    "dispute": ("finance_officer", {"reason": "Short delivery"}),
    "withhold": ("finance_approver", {"reason": "Audit"}),
}
# A tranche in a status each move starts from.
READY = {
    "invoice": due,
    "approve": invoiced,
    "reject": invoiced,
    "pay": approved,
    "dispute": due,
    "withhold": due,
}


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("if_match", [None, "*"])
def test_a_move_without_if_match_is_428_and_writes_nothing(persona, move, if_match) -> None:
    who, body = MOVES[move]
    client = persona(who)  # before the helpers, which make the same users with get_or_create
    tranche = READY[move](first_rent(scheduled()))
    before = Tranche.objects.values_list("status", "version").get(pk=tranche.pk)
    response = _act(client, move, tranche, if_match=if_match, **body)
    assert response.status_code == 428, response.json()
    error = response.json()["error"]
    assert error["code"] == "precondition_required"
    assert "read the tranche" in error["message"]
    assert "ETag" in error["message"]
    assert Tranche.objects.values_list("status", "version").get(pk=tranche.pk) == before


@pytest.mark.parametrize("move", list(MOVES))
def test_a_move_with_a_stale_if_match_is_412_naming_who_changed_it(persona, move) -> None:
    who, body = MOVES[move]
    client = persona(who)
    tranche = READY[move](first_rent(scheduled()))
    stale = _etag(tranche)
    # Someone else moves it first (every status these moves start from may be disputed).
    services.tranche_dispute(
        tranche=tranche.pk,
        reason="Looked again at the amount",
        actor=user("ulla", Role.FINANCE_APPROVER),
    )
    response = _act(client, move, tranche, if_match=stale, **body)
    assert response.status_code == 412, response.json()
    error = response.json()["error"]
    assert error["code"] == "precondition_failed"
    assert "ulla" in error["message"]
    assert "Looked again at the amount" in error["message"]
    assert error["details"]["changed_by"] == "ulla"
    assert Tranche.objects.get(pk=tranche.pk).status == "disputed"  # the stale move wrote nothing


def test_two_approvers_with_the_same_etag_one_wins_and_one_gets_412(
    finance_approver, second_approver, settings
) -> None:
    settings.FINANCE_APPROVAL_LEVELS = 1
    tranche = invoiced(first_rent(scheduled()))
    etag = finance_approver.get(f"/api/v1/tranches/{tranche.pk}/")["ETag"]
    first = _act(finance_approver, "approve", tranche, if_match=etag)
    second = _act(second_approver, "approve", tranche, if_match=etag)
    assert (first.status_code, second.status_code) == (200, 412)
    assert "anders" in second.json()["error"]["message"]
    assert Tranche.objects.get(pk=tranche.pk).approvals.count() == 1


def test_the_tranche_detail_carries_its_version_as_etag(auditor, tranche) -> None:
    response = auditor.get(f"/api/v1/tranches/{tranche.pk}/")
    assert response["ETag"] == f'"{response.json()["version"]}"'


def test_the_schema_documents_if_match_412_and_428_on_every_move(auditor) -> None:
    schema = auditor.get(reverse("api:schema"), {"format": "json"}).json()
    for move in MOVES:
        operation = schema["paths"][f"/api/v1/tranches/{{id}}/{move}/"]["post"]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True, move
        assert {"412", "428"} <= set(operation["responses"]), move
        assert "ETag" in operation["responses"]["200"]["headers"], move
    detail = schema["paths"]["/api/v1/tranches/{id}/"]["get"]
    assert "ETag" in detail["responses"]["200"]["headers"]


def test_a_missing_tranche_is_404(finance_officer) -> None:
    response = finance_officer.post(
        "/api/v1/tranches/999999/dispute/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_caseworkers_do_not_read_tranches(caseworker) -> None:
    assert caseworker.get("/api/v1/tranches/").status_code == 403


def test_the_moves_and_the_report_are_in_the_schema(auditor) -> None:
    schema = auditor.get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for move in ["invoice", "approve", "reject", "pay", "dispute", "withhold"]:
        assert f"/api/v1/tranches/{{id}}/{move}/" in paths
    assert "/api/v1/finance-reports/cost-per-place-day/" in paths
    assert "finance approver" in paths["/api/v1/tranches/{id}/approve/"]["post"]["summary"]


# --- Cost per occupied place-day --------------------------------------------------------------


def test_the_cost_report_divides_rent_by_occupied_place_days(auditor, settings) -> None:
    from tests.finance.test_cost_report import occupied_agreement

    terms = occupied_agreement()
    response = auditor.get(
        reverse("api:cost-per-place-day"),
        {"from": "2026-04-01", "to": "2026-06-30", "agreement": terms.agreement_id},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    quarter = body["quarters"][0]
    assert quarter["period"] == "2026 Q2"
    # 91 days × 10 placements = 910 place-days; EUR 3,750,000 ÷ 910 = 4,120.879… → 4,120.88
    assert quarter["occupied_place_days"] == 910
    assert quarter["cost_per_occupied_place_day"] == "4120.88"
    assert quarter["empty_place_days"] == 300 * 91 - 910
    assert body["years"][0]["period"] == "2026"
    assert body["total"]["rent"] == "3750000.00"


def test_a_reversed_period_is_400(auditor) -> None:
    scheduled()
    response = auditor.get(
        reverse("api:cost-per-place-day"), {"from": "2027-01-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "before the first day" in response.json()["error"]["message"]


@pytest.mark.parametrize("last", ["2026-12-31", "2027-12-31"])
def test_cost_report_query_count(auditor, django_assert_num_queries, last) -> None:
    scheduled()
    quarters = 4 if last.startswith("2026") else 8
    # session, user, roles, the agreement, its terms, its rent tranches, and the occupancy of
    # every quarter in one query: the same count for one year and for two
    with django_assert_num_queries(6):
        response = auditor.get(
            reverse("api:cost-per-place-day"), {"from": "2026-01-01", "to": last}
        )
    assert response.status_code == 200
    assert len(response.json()["quarters"]) == quarters
    assert date.fromisoformat(response.json()["last_day"]) == date.fromisoformat(last)
