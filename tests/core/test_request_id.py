"""A request's id is the app's own unless a configured proxy of ours gave a well-formed one: a
client cannot choose what the logs and the append-only access log record as its request id."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from program.audit.models import AccessLogEntry
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db

PROXY_ID = "3f2a9c1e-5b7d-4e8f-a0c1-9d2b4e6f8a01"


def test_a_client_chosen_id_is_not_taken(client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123def456")
    assert response["X-Request-ID"] != "abc123def456"
    assert len(response["X-Request-ID"]) == 32


def test_a_client_chosen_id_never_reaches_the_access_log(caseworker) -> None:
    inmate = InmateFactory()
    forged = "forged-request-0001"
    response = caseworker.get(
        reverse("api:inmate-detail", args=[inmate.pk]), HTTP_X_REQUEST_ID=forged
    )
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(subject_id=str(inmate.pk)).latest("at")
    assert entry.request_id == response["X-Request-ID"] != forged
    assert not AccessLogEntry.objects.filter(request_id=forged).exists()


@override_settings(REQUEST_ID_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_the_trusted_proxy_s_well_formed_id_is_taken(client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="10.0.0.7")
    assert response["X-Request-ID"] == PROXY_ID


@override_settings(REQUEST_ID_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_an_id_from_any_other_address_is_not_taken(client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="192.0.2.10")
    assert response["X-Request-ID"] != PROXY_ID


@override_settings(REQUEST_ID_TRUSTED_PROXIES=["10.0.0.7"])
@pytest.mark.parametrize(
    "value",
    [
        "short",  # fewer than 8 characters
        "x" * 65,  # more than 64
        "<script>alert(1)</script>",
        "abc def ghi",
        "line\nbreak-0001",
        "ümlaut-00001",
        "id\u202eevil-0001",
    ],
)
def test_an_ill_formed_id_even_from_the_proxy_is_replaced(client, value) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=value, REMOTE_ADDR="10.0.0.7")
    assert response["X-Request-ID"] != value
    assert len(response["X-Request-ID"]) == 32


def test_an_invalid_trusted_proxy_setting_stops_the_start() -> None:
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", "import program.settings"],
        cwd=root,
        env={**os.environ, "REQUEST_ID_TRUSTED_PROXIES": "10.0.0.0/24,proxy.local"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "REQUEST_ID_TRUSTED_PROXIES: 'proxy.local' is not an IP address" in result.stderr
