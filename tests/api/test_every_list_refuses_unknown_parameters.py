"""Every list the API offers answers an unknown query parameter with 400, naming the parameter
and the ones it accepts: walked from the schema, so a list added later is covered too. And the
two searches users rely on (cases by `search`, inmates by `case_number`) filter when called the
way an integration calls them, with a personal API token."""

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from program.core.policy import access_for
from program.core.roles import SYSTEM_ADMIN, Role
from tests.api_tokens import token_for
from tests.inmates.factories import InmateFactory
from tests.transfers.factories import TransferCaseFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "no_such_parameter"


def _schema_reads() -> list[tuple[str, list[str]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    reads = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        accepted = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        reads.append((path, accepted))
    return reads


def _lists() -> list[tuple[str, list[str]]]:
    """The reads that return many rows: paginated, or a case's own lists (its events, documents,
    decisions, letters, opinions) and the eligibility rules."""
    many = {"events", "documents", "decisions", "letters", "opinions", "eligibility-rules"}
    return [
        (path, accepted)
        for path, accepted in _schema_reads()
        if "page" in accepted or path.rstrip("/").rsplit("/", 1)[-1] in many
    ]


def _role_for(path: str, make_user) -> object:
    access = access_for(resolve(path).view_name)
    assert access is not None, path
    roles: list[str] = [r for r in Role if r in access.roles]
    if not roles and not access.any_signed_in:
        roles = [SYSTEM_ADMIN]
    role = roles[0] if roles else None
    if role == SYSTEM_ADMIN:
        return make_user(f"u-{abs(hash(path))}", superuser=True)
    return make_user(f"u-{abs(hash(path))}", *([role] if role else []))


def test_the_walk_finds_every_list() -> None:
    paths = [path for path, _accepted in _lists()]
    for expected in (
        "/api/v1/inmates/",
        "/api/v1/transfer-cases/",
        "/api/v1/tranches/",
        "/api/v1/me/tokens/",
        "/api/v1/transfer-cases/{id}/events/",
    ):
        assert expected in paths
    assert len(paths) >= 17


@pytest.mark.parametrize(("path", "accepted"), _lists(), ids=lambda value: str(value))
def test_every_list_answers_an_unknown_parameter_with_400_naming_the_accepted_ones(
    path, accepted, make_user
) -> None:
    from django.test import Client

    user = _role_for(path.replace("{id}", "1"), make_user)
    url = path
    if "{id}" in path:
        url = path.replace("{id}", str(TransferCaseFactory(caseworker=user).pk))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    assert client.get(url).status_code == 200, (url, client.get(url).content[:300])
    response = client.get(url, {UNKNOWN: "1"})
    assert response.status_code == 400, (url, response.content[:300])
    error = response.json()["error"]
    assert UNKNOWN in error["message"]
    assert UNKNOWN in error["details"]
    for name in accepted:
        assert name in error["message"], (url, name, error["message"])


def test_a_case_is_found_by_search_with_an_api_token(make_user) -> None:
    from django.test import Client

    carla = make_user("carla", Role.CASEWORKER)
    wanted = TransferCaseFactory(
        inmate=InmateFactory(case_number="KF-2026-00012", name="Arben Krasniqi"), caseworker=carla
    )
    TransferCaseFactory(
        inmate=InmateFactory(case_number="KF-2026-00345", name="Luan Gashi"), caseworker=carla
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(carla)}")
    for query in ("KF-2026-00012", "kf-2026-00012", "Krasniqi", "arben"):
        body = api.get("/api/v1/transfer-cases/", {"search": query}).json()
        assert [case["id"] for case in body["results"]] == [wanted.pk], query
        assert body["count"] == 1
    assert api.get("/api/v1/transfer-cases/", {"search": "nobody"}).json()["count"] == 0
    assert api.get("/api/v1/transfer-cases/").json()["count"] == 2


def test_an_inmate_is_found_by_case_number_with_an_api_token(make_user) -> None:
    from django.test import Client

    carla = make_user("carla", Role.CASEWORKER)
    wanted = InmateFactory(case_number="KF-2026-00012")
    InmateFactory(case_number="KF-2026-00120")
    InmateFactory(case_number="KF-2026-00345")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(carla)}")
    for query in ("KF-2026-00012", "kf-2026-00012", " KF-2026-00012 "):
        body = api.get("/api/v1/inmates/", {"case_number": query}).json()
        assert [inmate["id"] for inmate in body["results"]] == [wanted.pk], query
    assert api.get("/api/v1/inmates/", {"case_number": "KF-0"}).json()["count"] == 0
    assert api.get("/api/v1/inmates/").json()["count"] == 3
