"""Locking a versioned row at the version read, and writing it back in one UPDATE.

The UPDATE matches the version too and moves it (and updated_at) on, so even a write that somehow
ran without the row lock could never overwrite a newer one: it would match nothing and be refused.
It is an UPDATE rather than a `save()` on purpose: only the named fields are written.
"""

from typing import Any, TypeVar, cast

from django.db import models
from django.db.models import F
from django.utils import timezone

from program.core.errors import ConflictError
from program.core.versioning import StaleVersionError, lock_at_version

M = TypeVar("M", bound=models.Model)


def update_locked(row: M, *, changed: str, **fields: Any) -> M:
    """Write `fields` to the locked `row`, moving its version on; the row then holds what was
    saved. `changed` is the refusal if the row's version is no longer the one read."""
    version = cast(Any, row).version
    updated = (
        type(row)
        ._default_manager.filter(pk=row.pk, version=version)
        .update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    )
    if updated != 1:  # cannot happen under the row lock; kept so a refactor cannot lose it
        raise ConflictError(changed)
    row.refresh_from_db()
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
        shown = cast(Any, locked)
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
