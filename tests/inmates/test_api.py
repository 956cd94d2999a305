"""The inmate and non-association endpoints: reads, writes through the services, role rules."""

from datetime import date

import pytest

from program.inmates.models import Inmate, NonAssociation
from tests.inmates.factories import (
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

INMATES = "/api/v1/inmates/"
NON_ASSOCIATIONS = "/api/v1/non-associations/"


def _payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "case_number": "KF-2025-001",
        "name": "Ahmed Karimi",
        "date_of_birth": "1988-03-02",
        "sex": "M",
        "nationalities": ["AF", "IR"],
        "languages": ["Dari"],
        "security_level": "medium",
        "home_institution": "Nyborg Prison",
    }
    data.update(overrides)
    return data


def _error(response, http_status: int, code: str) -> dict:
    assert response.status_code == http_status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    return body["error"]


# --- Reading --------------------------------------------------------------------------------------


def test_the_list_filters_and_sorts(caseworker) -> None:
    PlacementFactory(inmate=InmateFactory(name="Ahmed Karimi", nationalities=["AF"]))
    JudgmentFactory(inmate=InmateFactory(name="Jonas Berg", nationalities=["SE"]))
    InmateFactory(name="Lee Min", nationalities=["CN"], home_institution="Vestre Prison")

    def names(**params: object) -> list[str]:
        response = caseworker.get(INMATES, params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names() == ["Ahmed Karimi", "Jonas Berg", "Lee Min"]
    assert names(search="berg") == ["Jonas Berg"]
    assert names(nationality="cn") == ["Lee Min"]
    assert names(institution="vestre prison") == ["Lee Min"]
    assert names(placed="true") == ["Ahmed Karimi"]
    assert names(placed="false") == ["Jonas Berg", "Lee Min"]
    assert names(release_from="2027-05-21", release_to="2027-05-21") == ["Jonas Berg"]
    assert names(ordering="-name") == ["Lee Min", "Jonas Berg", "Ahmed Karimi"]
    assert names(ordering="release_date")[0] == "Jonas Berg"


def test_a_malformed_filter_names_the_field(caseworker) -> None:
    error = _error(caseworker.get(INMATES, {"release_from": "soon"}), 400, "invalid")
    assert "release_from" in error["details"]


def test_an_inmate_in_full_with_an_etag(caseworker) -> None:
    inmate = InmateFactory(nationalities=["AF"])
    JudgmentFactory(inmate=inmate)
    response = caseworker.get(f"{INMATES}{inmate.pk}/")
    body = response.json()
    assert body["nationalities"] == ["AF"]
    assert body["release_date"] == "2027-05-21"
    assert body["judgments"][0]["two_thirds_date"] == "2026-07-25"
    assert body["is_placed"] is False
    assert response["ETag"] == f'"{inmate.version}"'


# --- Writing --------------------------------------------------------------------------------------


def test_registering_an_inmate(caseworker) -> None:
    response = caseworker.post(INMATES, _payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_number"] == "KF-2025-001"
    assert body["nationalities"] == ["AF", "IR"]
    assert body["judgments"] == []
    assert Inmate.objects.get().languages == ["Dari"]


def test_bad_input_names_each_field_and_writes_nothing(caseworker) -> None:
    response = caseworker.post(
        INMATES,
        _payload(name="", sex="Q", nationalities=[], date_of_birth="2.3.1988"),
        content_type="application/json",
    )
    error = _error(response, 400, "invalid")
    assert set(error["details"]) == {"name", "sex", "nationalities", "date_of_birth"}
    assert not Inmate.objects.exists()


def test_a_duplicate_case_number_is_refused(caseworker) -> None:
    InmateFactory(case_number="KF-2025-001")
    error = _error(
        caseworker.post(INMATES, _payload(), content_type="application/json"), 400, "invalid"
    )
    assert "case_number" in error["details"]
    assert Inmate.objects.count() == 1


def test_a_date_of_birth_in_the_future_is_refused_by_the_service(caseworker) -> None:
    response = caseworker.post(
        INMATES, _payload(date_of_birth="2999-01-01"), content_type="application/json"
    )
    error = _error(response, 400, "invalid")
    assert error["details"] == {"date_of_birth": ["The date of birth cannot be in the future."]}


def test_patch_and_put_update_through_the_service(caseworker) -> None:
    inmate = InmateFactory(case_number="KF-9", nationalities=["SE"])
    url = f"{INMATES}{inmate.pk}/"
    etag = caseworker.get(url)["ETag"]
    response = caseworker.patch(
        url, {"name": "New Name"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "New Name"
    assert response.json()["nationalities"] == ["SE"]
    response = caseworker.put(
        url,
        _payload(case_number="KF-9", nationalities=["NO"]),
        content_type="application/json",
        HTTP_IF_MATCH=response["ETag"],  # each write answers with the new ETag
    )
    assert response.status_code == 200, response.content
    inmate.refresh_from_db()
    assert inmate.name == "Ahmed Karimi"
    assert [c.code for c in inmate.nationalities.all()] == ["NO"]


def test_a_stale_if_match_is_refused_with_412(caseworker) -> None:
    inmate = InmateFactory()
    url = f"{INMATES}{inmate.pk}/"
    etag = caseworker.get(url)["ETag"]
    fresh = caseworker.patch(
        url, {"name": "First"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert fresh.status_code == 200
    stale = caseworker.patch(
        url, {"name": "Second"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    _error(stale, 412, "precondition_failed")
    inmate.refresh_from_db()
    assert inmate.name == "First"
    assert fresh["ETag"] != etag


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("if_match", [None, "*", ""])
def test_a_write_without_if_match_is_refused_with_428(caseworker, method, if_match) -> None:
    inmate = InmateFactory(case_number="KF-9", name="Kept")
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = getattr(caseworker, method)(
        f"{INMATES}{inmate.pk}/",
        _payload(case_number="KF-9", name="Lost"),
        content_type="application/json",
        **headers,
    )
    error = _error(response, 428, "precondition_required")
    assert "read the inmate" in error["message"]
    assert "ETag" in error["message"]
    inmate.refresh_from_db()
    assert inmate.name == "Kept"


@pytest.mark.parametrize("if_match", ['"not-a-time"', "3", '"1", "2"', 'W/"x"'])
def test_an_if_match_that_is_no_etag_of_ours_is_refused_with_412(caseworker, if_match) -> None:
    inmate = InmateFactory(name="Kept")
    response = caseworker.patch(
        f"{INMATES}{inmate.pk}/",
        {"name": "Lost"},
        content_type="application/json",
        HTTP_IF_MATCH=if_match,
    )
    _error(response, 412, "precondition_failed")
    inmate.refresh_from_db()
    assert inmate.name == "Kept"


def test_a_weakened_etag_still_matches(caseworker) -> None:
    # A compressing proxy may hand the client W/"…": the version inside is still the row's.
    inmate = InmateFactory()
    url = f"{INMATES}{inmate.pk}/"
    etag = caseworker.get(url)["ETag"]
    response = caseworker.patch(
        url, {"name": "New"}, content_type="application/json", HTTP_IF_MATCH=f"W/{etag}"
    )
    assert response.status_code == 200, response.content


def test_two_clients_with_the_same_etag_one_wins_and_one_gets_412(caseworker, make_user) -> None:
    from django.test import Client

    from program.core.roles import Role

    karl = Client()
    karl.force_login(make_user("karl", Role.CASEWORKER))
    inmate = InmateFactory(name="Start")
    url = f"{INMATES}{inmate.pk}/"
    for round_ in range(5):
        etag = caseworker.get(url)["ETag"]
        assert karl.get(url)["ETag"] == etag
        first = caseworker.patch(
            url, {"name": f"Carla {round_}"}, content_type="application/json", HTTP_IF_MATCH=etag
        )
        second = karl.patch(
            url, {"name": f"Karl {round_}"}, content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert (first.status_code, second.status_code) == (200, 412)
        inmate.refresh_from_db()
        assert inmate.name == f"Carla {round_}"  # Karl's write overwrote nothing


def test_the_schema_documents_if_match_412_and_428_on_inmate_writes(caseworker) -> None:
    schema = caseworker.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    item = schema["paths"]["/api/v1/inmates/{id}/"]
    for method in ("put", "patch"):
        operation = item[method]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True
        assert {"412", "428"} <= set(operation["responses"])
        assert "ETag" in operation["responses"]["200"]["headers"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]


def test_there_is_no_delete(caseworker) -> None:
    inmate = InmateFactory()
    assert caseworker.delete(f"{INMATES}{inmate.pk}/").status_code in (403, 405)
    assert Inmate.objects.filter(pk=inmate.pk).exists()


# --- Roles ----------------------------------------------------------------------------------------


def test_the_auditor_reads_but_cannot_write(auditor) -> None:
    inmate = InmateFactory()
    assert auditor.get(INMATES).status_code == 200
    assert auditor.get(f"{INMATES}{inmate.pk}/").status_code == 200
    assert auditor.get(NON_ASSOCIATIONS).status_code == 200
    _error(
        auditor.post(INMATES, _payload(), content_type="application/json"), 403, "permission_denied"
    )
    _error(
        auditor.patch(f"{INMATES}{inmate.pk}/", {"name": "X"}, content_type="application/json"),
        403,
        "permission_denied",
    )
    other = InmateFactory()
    response = auditor.post(
        NON_ASSOCIATIONS,
        {
            "inmate": inmate.pk,
            "other": other.pk,
            "scope": "unit",
            "reason": "r",
            "starts_on": "2025-01-01",
        },
        content_type="application/json",
    )
    _error(response, 403, "permission_denied")
    assert Inmate.objects.count() == 2
    assert not NonAssociation.objects.exists()


@pytest.mark.parametrize("who", ["finance_officer", "finance_approver", "stranger"])
def test_finance_roles_cannot_read_inmates(persona, who) -> None:
    client = persona(who)
    inmate = InmateFactory()
    for url in [INMATES, f"{INMATES}{inmate.pk}/", NON_ASSOCIATIONS]:
        _error(client.get(url), 403, "permission_denied")
    _error(
        client.post(INMATES, _payload(), content_type="application/json"), 403, "permission_denied"
    )


def test_the_occupancy_admin_keeps_apart_but_cannot_register(occupancy_admin) -> None:
    first, second = InmateFactory(), InmateFactory()
    _error(
        occupancy_admin.post(INMATES, _payload(), content_type="application/json"),
        403,
        "permission_denied",
    )
    response = occupancy_admin.post(
        NON_ASSOCIATIONS,
        {
            "inmate": second.pk,
            "other": first.pk,
            "scope": "cell",
            "reason": "Threats",
            "starts_on": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["inmate_a"], body["inmate_b"]) == (first.pk, second.pk)
    assert (body["starts_on"], body["ends_on"]) == ("2025-01-01", None)


# --- Non-associations -----------------------------------------------------------------------------


def test_non_association_errors_use_the_one_shape(caseworker) -> None:
    first, second = InmateFactory(), InmateFactory()
    NonAssociationFactory(inmate_a=first, inmate_b=second)

    def post(**overrides: object):
        data = {
            "inmate": first.pk,
            "other": second.pk,
            "scope": "unit",
            "reason": "Feud",
            "starts_on": "2025-03-01",
            **overrides,
        }
        return caseworker.post(NON_ASSOCIATIONS, data, content_type="application/json")

    error = _error(post(), 409, "conflict")
    assert "already kept apart" in error["message"]
    error = _error(post(other=first.pk), 400, "invalid")
    assert "themselves" in error["message"]
    error = _error(post(scope="prison", other=999999), 400, "invalid")
    assert set(error["details"]) == {"scope", "other"}
    assert NonAssociation.objects.count() == 1


def test_non_associations_are_listed_by_either_inmate(caseworker) -> None:
    first, second, third = InmateFactory(), InmateFactory(), InmateFactory()
    rule = NonAssociationFactory(inmate_a=first, inmate_b=second)
    NonAssociationFactory(inmate_a=first, inmate_b=third)
    response = caseworker.get(NON_ASSOCIATIONS, {"inmate": second.pk})
    assert [row["id"] for row in response.json()["results"]] == [rule.pk]
    detail = caseworker.get(f"{NON_ASSOCIATIONS}{rule.pk}/").json()
    assert detail["in_force"] is True
    assert detail["starts_on"] == date(2025, 1, 1).isoformat()
