"""One error shape for every API error: {"error": {"code", "message", "details"}}."""

import pytest


def _assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
def test_not_signed_in(client) -> None:
    _assert_shape(client.get("/api/v1/agreements/"), 401, "not_authenticated")


@pytest.mark.django_db
def test_wrong_role_names_the_roles_needed(caseworker) -> None:
    error = _assert_shape(caseworker.get("/api/v1/pricing-terms/"), 403, "permission_denied")
    assert "Finance officer" in error["message"]


@pytest.mark.django_db
def test_unknown_object(caseworker) -> None:
    _assert_shape(caseworker.get("/api/v1/agreements/999999/"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_api_address(caseworker) -> None:
    _assert_shape(caseworker.get("/api/v1/no-such-thing/"), 404, "not_found")


@pytest.mark.django_db
def test_writes_to_read_only_endpoints_are_not_allowed(occupancy_admin) -> None:
    response = occupancy_admin.post(
        "/api/v1/cells/", {"number": "X"}, content_type="application/json"
    )
    error = _assert_shape(response, 405, "method_not_allowed")
    assert "POST" in error["message"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.django_db
def test_a_malformed_filter_names_the_field(occupancy_admin) -> None:
    error = _assert_shape(occupancy_admin.get("/api/v1/cells/?facility=abc"), 400, "invalid")
    assert "facility" in error["message"]
    assert "facility" in error["details"]


@pytest.mark.django_db
def test_token_authentication_works(make_user) -> None:
    from rest_framework.test import APIClient

    from tests.api_tokens import token_for

    user = make_user("tok", "caseworker")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["roles"] == ["caseworker"]


@pytest.mark.django_db
def test_the_schema_is_openapi_3_and_lists_the_endpoints(caseworker) -> None:
    response = caseworker.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/agreements/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


@pytest.mark.django_db
def test_the_docs_are_served_without_a_cdn(caseworker) -> None:
    body = caseworker.get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "cdn.jsdelivr" not in body
    assert "unpkg.com" not in body
