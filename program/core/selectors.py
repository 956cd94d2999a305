from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.utils import DatabaseError

from program.core.models import Heartbeat


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check("database", ok=False, detail=type(error).__name__)
    return Check("database", ok=True, detail="PostgreSQL answers")


def broker_check() -> Check:
    from program.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = str(conn.transport_cls)
    except Exception as error:  # kombu raises transport-specific errors; any failure means down
        return Check("broker", ok=False, detail=type(error).__name__)
    return Check("broker", ok=True, detail=f"{transport} answers")


def heartbeats() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("name"))


def heartbeat_last_run(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("last_run_at", flat=True).first()
