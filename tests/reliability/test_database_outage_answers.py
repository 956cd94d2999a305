"""What a user sees while PostgreSQL is out of reach: a plain 503 page, or for the API a JSON
error, each with Retry-After and no trace, no SQL. (The drill with a real restart under load is
test_postgres_restart.py; this is its bounded part, run by make test.)"""

import json

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from program.core.errors import database_unreachable
from program.core.views import server_error
from tests.reliability.conftest import free_port

# pytest-django blocks database connections outside a db test, the failed one included.
pytestmark = pytest.mark.django_db


def _answer_while_unreachable(path: str) -> HttpResponse:
    """Connect to a port where no PostgreSQL listens, and let Django's 500 handler answer the
    real error it raises, as it does for an unhandled error in a request."""
    default = connections["default"]
    settings = {**default.settings_dict, "PORT": free_port()}
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "connect_timeout": 2}
    unreachable = default.__class__(settings, alias="unreachable")
    request = RequestFactory().get(path)
    try:
        unreachable.ensure_connection()
    except Exception as error:
        if not database_unreachable(error):
            raise
        return server_error(request)
    raise AssertionError("a database answered on a free port")


def test_a_page_gets_a_plain_503_page_with_retry_after() -> None:
    response = _answer_while_unreachable("/cases/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "briefly unavailable" in body
    for leak in ("Traceback", "OperationalError", "psycopg", "connection", "127.0.0.1"):
        assert leak not in body


def test_the_api_gets_a_json_error_with_retry_after() -> None:
    response = _answer_while_unreachable("/api/v1/transfer-cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content)["error"]["code"] == "unavailable"


def test_any_other_unhandled_error_is_still_a_plain_500() -> None:
    request = RequestFactory().get("/cases/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.parametrize("error", [ValueError("x"), KeyError("y"), None])
def test_only_database_errors_count_as_unreachable(error) -> None:
    assert not database_unreachable(error)
