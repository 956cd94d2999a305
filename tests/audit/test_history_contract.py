"""The write-history contract, checked against the database itself: every tracked table has its
insert, update and delete triggers installed and enabled, and every history table refuses
changes. A model added to a tracked app without `makemigrations audit`, or a trigger dropped or
disabled by hand, fails here (docs/architecture.md, "Audit streams")."""

import pytest
from django.db import connection

from program.audit.history import EVENT_MODELS, TIMELINES, tracked_models

pytestmark = pytest.mark.django_db


def _label(model: type) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _enabled_triggers(table: str) -> set[str]:
    """The kinds (insert, update, delete, append) of the enabled pgtrigger triggers on a table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass"
            " AND NOT tgisinternal AND tgenabled <> 'D' AND tgname LIKE 'pgtrigger_%%'",
            [table],
        )
        return {name.split("_")[1] for (name,) in cursor.fetchall()}


def missing_history_triggers() -> list[str]:
    """Each tracked table lacking an enabled history trigger, and each history table lacking its
    append-only guard, as "table: kind" lines."""
    missing = []
    for model in tracked_models():
        label = _label(model)
        # A timeline's own rows record their insert; only changes to them are snapshotted.
        wanted = {"update", "delete"} if label in TIMELINES else {"insert", "update", "delete"}
        table = model._meta.db_table
        missing += [f"{table}: {kind}" for kind in sorted(wanted - _enabled_triggers(table))]
        event_table = EVENT_MODELS[label]._meta.db_table
        if "append" not in _enabled_triggers(event_table):
            missing.append(f"{event_table}: append-only")
    return missing


def test_every_tracked_table_has_its_history_triggers_in_the_database() -> None:
    assert len(tracked_models()) > 40  # the walk covers the real set, not an empty one
    assert missing_history_triggers() == []


def test_a_disabled_or_dropped_trigger_is_found() -> None:
    """The check itself can fail: disable one history trigger and drop an append-only guard
    (inside the test's transaction, rolled back after it)."""
    placements = EVENT_MODELS["cells.Placement"]._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cells_placement'::regclass"
            " AND tgname LIKE 'pgtrigger_update_%%'"
        )
        (update_trigger,) = cursor.fetchone()
        cursor.execute(f'ALTER TABLE cells_placement DISABLE TRIGGER "{update_trigger}"')
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass"
            " AND tgname LIKE 'pgtrigger_append_only_%%'",
            [placements],
        )
        (guard,) = cursor.fetchone()
        cursor.execute(f'DROP TRIGGER "{guard}" ON "{placements}"')
    assert missing_history_triggers() == [
        "cells_placement: update",
        f"{placements}: append-only",
    ]
