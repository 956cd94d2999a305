"""History and access-log tables refuse UPDATE and DELETE, even from the application's own role.

The SQL below interpolates table names taken from model metadata, never input (S608).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from finance.models import Tranche
from program.audit.history import EVENT_MODELS
from program.audit.models import AccessLogEntry, AuditPurge
from tests.factories import AgreementFactory
from tests.inmates.factories import InmateFactory, PlacementFactory

pytestmark = pytest.mark.django_db

TABLES = [
    EVENT_MODELS["inmates.Inmate"]._meta.db_table,
    EVENT_MODELS["cells.Placement"]._meta.db_table,
    EVENT_MODELS["finance.Tranche"]._meta.db_table,
    AccessLogEntry._meta.db_table,
    AuditPurge._meta.db_table,
]


@pytest.fixture
def rows() -> None:
    PlacementFactory()
    Tranche.objects.create(
        agreement=AgreementFactory(),
        stream="start_fee",
        due_on=date(2026, 4, 1),
        amount=Decimal("1.00"),
    )
    AccessLogEntry.objects.create(action="view", subject_type="inmate", subject_id="1")
    from django.utils import timezone

    AuditPurge.objects.create(
        older_than_days=183, cutoff=timezone.now(), access_log_deleted=0, actor="t"
    )


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(caught.value)


def test_the_application_role_owns_the_tables_it_cannot_alter() -> None:
    # The strongest position the application has: owner. A production deployment should also
    # migrate with a separate owner role (see program/audit/triggers.py).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = %s",
            [AccessLogEntry._meta.db_table],
        )
        assert cursor.fetchone() == (True,)


@pytest.mark.parametrize("table", TABLES)
def test_raw_update_and_delete_are_refused(rows, table) -> None:
    with connection.cursor() as cursor:  # row triggers: an empty table would prove nothing
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
        assert cursor.fetchone()[0] >= 1
    assert "append-only" in _refused(f'UPDATE "{table}" SET id = id')  # noqa: S608
    assert "append-only" in _refused(f'DELETE FROM "{table}"')  # noqa: S608


def test_pgtrigger_ignore_does_not_switch_the_protection_off(rows) -> None:
    table = AccessLogEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
            [table, "pgtrigger_append_only%"],
        )
        (pgid,) = cursor.fetchone()
    message = _refused(
        f"SELECT set_config('pgtrigger.ignore', '{{{pgid}}}', true); DELETE FROM \"{table}\""  # noqa: S608
    )
    assert "append-only" in message


def test_history_cannot_be_bypassed_with_pgtrigger_ignore() -> None:
    inmate = InmateFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(tgname) FROM pg_trigger WHERE tgrelid = 'inmates_inmate'::regclass"
            " AND tgname LIKE 'pgtrigger_%%'"
        )
        (names,) = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(names) + "}"]
        )
        cursor.execute("UPDATE inmates_inmate SET name = 'Hidden' WHERE id = %s", [inmate.pk])
    assert (
        EVENT_MODELS["inmates.Inmate"].objects.filter(pgh_obj_id=inmate.pk, name="Hidden").exists()
    )


def test_the_purge_setting_alone_does_not_open_recent_rows(rows) -> None:
    table = AccessLogEntry._meta.db_table
    message = _refused(f"SELECT set_config('audit.purge', 'on', true); DELETE FROM \"{table}\"")  # noqa: S608
    assert "append-only" in message
