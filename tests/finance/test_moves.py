"""The tranche move registry (finance/moves.py) drives both the pages and the API: every move has
its page route and its API action under the names the route policy lists, a refused move's
message reaches the field it names (else only the page's banner), and the four-eyes rule holds
on both sides."""

import pytest
from django.test import Client
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from finance.api.views import TrancheViewSet
from finance.models import Tranche, TrancheApproval
from finance.moves import MOVES_BY_KEY, TRANCHE_MOVES
from program.core.policy import FORM, access_for
from program.core.roles import Role
from tests.finance.helpers import approved, due, invoiced

pytestmark = pytest.mark.django_db

KEYS = [move.key for move in TRANCHE_MOVES]


def _page_post(client: Client, key: str, tranche: Tranche, version: int | None = None, **fields):
    data = {f"{key}-{name}": value for name, value in fields.items()}
    data[f"{key}-expected_version"] = tranche.version if version is None else version
    return client.post(reverse(MOVES_BY_KEY[key].route, args=[tranche.pk]), data)


def _api_post(client: Client, key: str, tranche: Tranche, **body: object):
    version = Tranche.objects.values_list("version", flat=True).get(pk=tranche.pk)
    return client.post(
        reverse(MOVES_BY_KEY[key].api_route, args=[tranche.pk]),
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{version}"',
    )


def _payment_at_rate_zero(tranche: Tranche) -> dict[str, str]:
    # A payment the form accepts and the service refuses: the rate must be above zero.
    return {
        "paid_on": "2026-04-10",
        "bank_reference": "DK-0001",
        "amount": str(tranche.amount),
        "eur_dkk_rate": "0",
    }


def _shown(response) -> dict[str, object]:
    return {shown.action.key: shown.form for shown in response.context["actions"]}


# --- One registry, both sides -----------------------------------------------------------------


def test_the_registry_has_the_six_moves_the_service_knows() -> None:
    from finance.services import MOVES_FROM

    assert KEYS == ["invoice", "approve", "reject", "pay", "dispute", "withhold"]
    assert set(KEYS) == set(MOVES_FROM)


@pytest.mark.parametrize("key", KEYS)
def test_each_move_has_its_page_route_under_its_old_name_and_address(key) -> None:
    move = MOVES_BY_KEY[key]
    url = reverse(f"finance:tranche-{key}", args=[7])
    assert url == f"/finance/tranches/7/{key}/"
    assert move.route == f"finance:tranche-{key}"
    assert resolve(url).func.__name__ == f"tranche_{key}"
    access = access_for(move.route)
    assert access is not None
    assert access.methods == FORM
    assert access.write_roles


@pytest.mark.parametrize("key", KEYS)
def test_each_move_has_its_api_action_under_its_old_name_and_address(key) -> None:
    move = MOVES_BY_KEY[key]
    url = reverse(f"api:tranche-{key}", args=[7])
    assert url == f"/api/v1/tranches/7/{key}/"
    assert move.api_route == f"api:tranche-{key}"
    match = resolve(url)
    assert match.func.actions == {"post": key}
    access, page = access_for(move.api_route), access_for(move.route)
    assert access is not None
    assert page is not None
    assert access.methods == {"POST"}
    # The page and the API let the same roles take the move.
    assert access.write_roles == page.write_roles


def test_the_viewset_has_exactly_the_registry_moves_besides_its_reads() -> None:
    assert {extra.__name__ for extra in TrancheViewSet.get_extra_actions()} == set(KEYS)


def test_the_schema_has_one_post_operation_per_move_with_its_input() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for move in TRANCHE_MOVES:
        operation = schema["paths"][f"/api/v1/tranches/{{id}}/{move.key}/"]["post"]
        assert operation["operationId"] == f"tranche_{move.key}"
        assert operation["summary"] == move.api_summary
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert body.endswith(f"/{move.api_input.__name__}Request")
        assert f"Only {move.api_who} may do this." in str(operation["responses"]["403"])


def test_the_page_shows_each_move_offered_as_a_form_posting_to_its_route(
    finance_approver, tranche
) -> None:
    tranche = invoiced(tranche)
    response = finance_approver.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    shown = response.context["actions"]
    assert [item.action.key for item in shown] == ["approve", "reject", "dispute", "withhold"]
    body = response.content.decode()
    for item in shown:
        assert item.url == reverse(item.action.route, args=[tranche.pk])
        assert f'action="{item.url}"' in body
        assert item.form.prefix == item.action.key
        assert f'class="button {item.action.button}"' in body


def test_a_move_through_the_api_and_one_through_the_page_reach_the_same_service(
    finance_officer, finance_approver, tranche
) -> None:
    tranche = due(tranche)
    response = _api_post(finance_officer, "dispute", tranche, reason="Short delivery")
    assert response.status_code == 200
    assert response.json()["status"] == "disputed"
    tranche.refresh_from_db()
    response = _page_post(finance_approver, "withhold", tranche, reason="Audit")
    assert response.status_code == 302
    follow = finance_approver.get(response["Location"])
    assert "The tranche is withheld." in follow.content.decode()
    tranche.refresh_from_db()
    assert (tranche.status, tranche.reason) == ("withheld", "Audit")


# --- A refusal on the page: at the field it names, else in the banner alone -------------------


def test_a_refusal_naming_a_field_is_shown_at_that_field(finance_officer, tranche) -> None:
    tranche = due(tranche)
    response = _page_post(
        finance_officer,
        "invoice",
        tranche,
        invoice_reference="KOS-1",
        invoiced_on="2026-04-02",
        amount="3749999.00",
    )
    assert response.status_code == 400
    form = _shown(response)["invoice"]
    [message] = form.errors["amount"]
    assert "differs by EUR 1.00" in message
    assert form.non_field_errors() == []
    assert response.context["error"] == message
    assert Tranche.objects.get(pk=tranche.pk).status == "due"


def test_a_refusal_under_another_name_is_shown_at_the_field_that_carries_it(
    finance_officer, tranche
) -> None:
    # The service names the rate "rate"; the pay form's field is eur_dkk_rate.
    tranche = approved(tranche)
    response = _page_post(finance_officer, "pay", tranche, **_payment_at_rate_zero(tranche))
    assert response.status_code == 400
    form = _shown(response)["pay"]
    assert form.errors["eur_dkk_rate"] == ["The EUR/DKK rate must be above zero."]
    assert form.non_field_errors() == []
    assert 'href="#id_pay-eur_dkk_rate"' not in response.content.decode()  # said once, above
    assert Tranche.objects.get(pk=tranche.pk).status == "approved"


def test_the_api_keeps_the_services_own_detail_names(finance_officer, tranche) -> None:
    tranche = approved(tranche)
    response = _api_post(finance_officer, "pay", tranche, **_payment_at_rate_zero(tranche))
    assert response.status_code == 400
    assert "rate" in response.json()["error"]["details"]


def test_a_refusal_naming_no_field_is_in_the_banner_not_above_the_form(
    finance_approver, second_approver, tranche
) -> None:
    tranche = invoiced(tranche)
    stale = tranche.version
    _page_post(finance_approver, "reject", tranche, comment="Wrong period")
    response = _page_post(second_approver, "withhold", tranche, version=stale, reason="Audit")
    assert response.status_code == 409
    form = _shown(response)["withhold"]
    assert form.errors == {}
    assert "Someone changed this tranche after you opened it" in response.context["error"]
    assert response.content.decode().count("Someone changed this tranche") == 1
    assert Tranche.objects.get(pk=tranche.pk).status == "due"


# --- The four-eyes rule, on both sides --------------------------------------------------------


@pytest.fixture
def dual(make_user) -> tuple[object, Client]:
    person = make_user("dual", Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    client = Client()
    client.force_login(person)
    return person, client


def test_the_preparer_is_not_offered_approve_or_reject_and_is_refused_both_ways(
    dual, tranche
) -> None:
    person, client = dual
    tranche = invoiced(tranche, person)
    page = client.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    assert not {"approve", "reject"} & set(_shown(page))
    assert {"dispute", "withhold"} <= set(_shown(page))
    assert "You prepared this tranche" in page.content.decode()

    response = _page_post(client, "approve", tranche, comment="Mine")
    assert response.status_code == 400
    assert "You prepared this tranche" in response.context["error"]
    response = _api_post(client, "approve", tranche, comment="Mine")
    assert response.status_code == 400
    assert "You prepared this tranche" in response.json()["error"]["message"]
    assert not TrancheApproval.objects.filter(tranche=tranche).exists()
    assert Tranche.objects.get(pk=tranche.pk).status == "invoiced"


def test_a_first_approver_is_not_offered_the_second_level(
    finance_approver, second_approver, tranche
) -> None:
    tranche = invoiced(tranche)
    response = _page_post(finance_approver, "approve", tranche, comment="Matches")
    assert response.status_code == 302
    follow = finance_approver.get(response["Location"]).content.decode()
    assert "a second, different approver must approve it too" in follow
    tranche.refresh_from_db()
    page = finance_approver.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    assert not {"approve", "reject"} & set(_shown(page))
    response = _api_post(finance_approver, "approve", tranche, comment="Again")
    assert response.status_code == 400
    assert TrancheApproval.objects.filter(tranche=tranche).count() == 1

    response = _api_post(second_approver, "approve", tranche, comment="")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
