"""Optimistic concurrency on versioned rows: one "changed since you read it" check for every app.

A row that people edit from a page or the API carries an integer `version`. Whoever reads it
gets the version (a form's hidden field, the API's ETag) and hands it back with the write. The
service locks the row with `lock_at_version`, which refuses it with `StaleVersionError` when the
version moved on since the read, naming who changed it last and when (from the write history);
the write then moves the version on with `bump_version` (or `save_locked`, which sets the fields
first). The check and the write happen under one row lock, so no other write can come between
them. `lock_with_status` is the lock for rows that carry a status, refused in the row's own words.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from django.db import models
from django.db.models import F, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from program.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PreconditionFailedError,
)

M = TypeVar("M", bound=models.Model)


class LastWrite(Protocol):
    """Who wrote a row last, and when, as a write history tells it."""

    @property
    def at(self) -> datetime: ...

    @property
    def by(self) -> str: ...


WriteHistory = Callable[[type[models.Model], Any], LastWrite | None]

# Where a refusal learns who changed a row. Core keeps no history of its own: the audit app,
# which records every write to the domain tables, registers its reader here when it starts
# (program/audit/apps.py), so core never imports the app built on top of it.
_write_history: WriteHistory | None = None


def register_write_history(reader: WriteHistory) -> None:
    """Let `stale_version` name the last writer of a row: `reader(model, pk)` answers who and
    when, or None when the history does not know."""
    global _write_history
    _write_history = reader


class StaleVersionError(PreconditionFailedError):
    """The row's version is not the one the caller read: someone changed it meanwhile. Nothing
    was written. Carries who made the latest change and when, when the history knows."""

    def __init__(
        self,
        message: str | None = None,
        *,
        version: int,
        read_version: int,
        changed_by: str = "",
        changed_at: datetime | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        if message is None:
            if changed_by and changed_at is not None:
                message = _(
                    "Someone else changed this record (%(who)s, %(when)s). Reload it to see "
                    "their change, then make yours again."
                ) % {"who": changed_by, "when": _when(changed_at)}
            else:
                message = _(
                    "Someone else changed this record after you read it. Reload it to see "
                    "their change, then make yours again."
                )
        super().__init__(
            message,
            details={
                "version": version,
                "read_version": read_version,
                **({"changed_by": changed_by} if changed_by else {}),
                **({"changed_at": changed_at.isoformat()} if changed_at is not None else {}),
                **(details or {}),
            },
        )
        self.version = version
        self.read_version = read_version
        self.changed_by = changed_by
        self.changed_at = changed_at


def _when(at: datetime) -> str:
    return formats.date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def stale_version(row: models.Model, read_version: int) -> StaleVersionError:
    """The refusal for a row read at `read_version`, with its last writer from the history."""
    last = _write_history(type(row), row.pk) if _write_history is not None else None
    return StaleVersionError(
        version=row.version,  # type: ignore[attr-defined]
        read_version=read_version,
        changed_by=last.by if last else "",
        changed_at=last.at if last else None,
    )


def stale_saying(message: str) -> Callable[[models.Model, int], ApplicationError]:
    """A `stale` for lock_at_version that refuses in the page's own words (no last writer)."""

    def refusal(row: models.Model, read_version: int) -> ApplicationError:
        return StaleVersionError(
            message,
            version=row.version,  # type: ignore[attr-defined]
            read_version=read_version,
        )

    return refusal


def lock_at_version(
    source: type[M] | QuerySet[M],
    pk: Any,
    expected_version: int | None,
    *,
    missing: ApplicationError | None = None,
    stale: Callable[[M, int], ApplicationError] | None = None,
) -> M:
    """The row, locked until the transaction ends (call it inside one).

    With `expected_version` (the version the caller read), a row whose version differs is
    refused: by default with StaleVersionError naming the last writer, or with what `stale`
    makes of the locked row and the version read. None skips the check (a write that read
    nothing, such as a nightly job). A row that is gone raises `missing` (default 404).
    """
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise missing or NotFoundError(_("This record no longer exists."))
    if expected_version is not None and row.version != expected_version:  # type: ignore[attr-defined]
        raise (stale or stale_version)(row, expected_version)
    return row


def bump_version(row: models.Model, *, fields: Iterable[str] = ()) -> None:
    """Save `fields` of a locked row with its version moved on by one, in one UPDATE (updated_at
    too, when the row has it); the row then holds its new version."""
    names = list(dict.fromkeys([*fields, "version"]))
    if any(f.name == "updated_at" for f in row._meta.concrete_fields) and "updated_at" not in names:
        names.append("updated_at")
    row.version = F("version") + 1  # type: ignore[attr-defined]
    row.save(update_fields=names)
    row.refresh_from_db(fields=["version"])


def save_locked(row: M, **fields: Any) -> M:
    """Set `fields` on a row locked by `lock_at_version` and save them with its version moved on
    (`bump_version`); only the named fields are written. Returns the row."""
    for name, value in fields.items():
        setattr(row, name, value)
    bump_version(row, fields=fields)
    return row


def lock_with_status(
    model: type[M],
    row: M | int,
    expected_version: int | None,
    *,
    missing: str,
    stale: str,
) -> M:
    """The row locked at the version read (`lock_at_version`), refused in the row's own words:
    `missing` when it is gone, `stale` (a translated text with %(status)s, the row's status now)
    when someone changed it since it was read."""

    def changed(locked: M, read: int) -> StaleVersionError:
        shown: Any = locked
        return StaleVersionError(
            stale % {"status": shown.get_status_display().lower()},
            version=shown.version,
            read_version=read,
        )

    return lock_at_version(
        model,
        row if isinstance(row, int) else row.pk,
        expected_version,
        missing=ConflictError(missing),
        stale=changed,
    )
