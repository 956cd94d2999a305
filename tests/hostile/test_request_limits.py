"""Before sign-in a request costs little and never fails: no JSON body is parsed, a body too large
is refused unread, and what is refused is a 400 or 413 in the API's error shape or a plain page.
After sign-in the API parses JSON within a size and a nesting limit."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from program.core.api.parsers import json_too_deep

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000  # deeper than Python's recursion limit


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/healthz", "/login/", "/no/such/address/", "/api/v1/inmates/"])
def test_a_deeply_nested_body_before_sign_in_is_no_error(anonymous, path, caplog) -> None:
    with caplog.at_level(logging.ERROR):
        response = anonymous.post(path, DEEP, content_type="application/json")
    assert response.status_code < 500
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


class _Unreadable:
    """A body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    def readline(self, *args: object) -> bytes:
        raise AssertionError("the body was read")


def test_a_body_over_the_limit_is_refused_unread(anonymous, settings) -> None:
    for path, kind in [("/api/v1/inmates/", "application/json"), ("/login/", "application/json")]:
        response = anonymous.generic(
            "POST",
            path,
            b"",
            content_type=kind,
            CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
            **{"wsgi.input": _Unreadable()},
        )
        assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "The request is too large" in response.content.decode()


def test_the_api_answers_413_in_its_error_shape(anonymous, settings) -> None:
    response = anonymous.post(
        "/api/v1/inmates/",
        b'{"a": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "2 MB" in error["message"]
    assert error["details"] == {}


def test_a_content_length_that_is_no_number_is_a_400(anonymous) -> None:
    response = anonymous.generic(
        "POST", "/api/v1/inmates/", b"{}", content_type="application/json", CONTENT_LENGTH="1e9"
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["error"]["message"]


def test_too_many_query_parameters_are_a_400_without_an_error_logged(anonymous, caplog) -> None:
    query = "&".join(f"p{n}=1" for n in range(1500))
    with caplog.at_level(logging.ERROR):
        response = anonymous.get(f"/login/?{query}")
    assert response.status_code == 400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_form_with_too_many_fields_before_sign_in_is_a_400_without_an_error_logged(
    caplog,
) -> None:
    """CSRF's check reads the form when a CSRF cookie is sent; Django's field limit then raised
    inside it and was logged as an error with its traceback."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32
    body = "&".join(f"f{n}=1" for n in range(2000))
    with caplog.at_level(logging.ERROR):
        response = client.post("/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "more fields" in response.content.decode()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_signed_in_deep_json_is_a_400_naming_the_limit(caseworker, settings) -> None:
    response = caseworker.post(
        reverse("api:inmate-list"),
        "[" * 40 + "]" * 40,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert (
        f"more than {settings.REQUEST_JSON_MAX_DEPTH} deep" in response.json()["error"]["message"]
    )


def test_signed_in_json_that_is_not_an_object_is_a_400(caseworker) -> None:
    for body in ["[1, 2]", '"text"', "null", "12"]:
        response = caseworker.post(
            reverse("api:transfer-case-list"), body, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert "must be an object" in response.json()["error"]["message"]


def test_ordinary_json_still_reaches_the_view(caseworker) -> None:
    response = caseworker.post(
        reverse("api:transfer-case-list"),
        {"inmate": 0, "note": "[not a bracket that counts] {nor this}"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "inmate" in response.json()["error"]["details"]


@pytest.mark.parametrize(
    ("body", "too_deep"),
    [
        (b'{"a": [1, {"b": [2]}]}', True),  # four levels
        (b'{"a": [1, {"b": 2}]}', False),  # three
        (b'{"a": "[[[[[[[[", "b": "\\"[[[["}', False),  # brackets inside strings
        (b"[" * 10, True),  # unclosed: the parser would recurse as deep
        (b"[][][][][][]", False),
    ],
)
def test_the_nesting_check_counts_brackets_outside_strings(body, too_deep) -> None:
    assert json_too_deep(body, 3) is too_deep


def test_the_nesting_check_takes_linear_time_on_escaped_quotes() -> None:
    """A pattern for strings that could fail would be retried from every quote: minutes here."""
    import time

    body = b'["' + b'\\"' * 500_000  # 1 MB, one string never closed
    started = time.process_time()
    assert json_too_deep(body, 32) is False
    assert time.process_time() - started < 2
