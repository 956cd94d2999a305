import pytest
from django.db import connection

from program.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_needs_no_log_in_and_shows_no_data(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_does_not_answer(client, monkeypatch) -> None:
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery reads it before its config
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["broker"]}


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_does_not_answer(client, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        from django.db.utils import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client) -> None:
    # Always the app's own unless a trusted proxy gave one (tests/core/test_request_id.py).
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_the_system_status_page_shows_services_and_jobs(occupancy_admin) -> None:
    from program.core.services import heartbeat_record

    heartbeat_record(name="heartbeat", worker="celery@test")
    heartbeat_record(name="heartbeat", worker="celery@test")
    body = occupancy_admin.get("/system/").content.decode()
    # The services by their translated names (the page no longer shows the raw check names).
    assert "Database" in body
    assert "Message broker" in body
    assert "celery@test" in body
    assert ">2<" in body
    api = occupancy_admin.get("/api/v1/system/status/").json()
    assert api["heartbeats"][0]["runs"] == 2
