"""Checked import files between preview and import, and the import itself as a job.

Both imports of people (the inmate register's CSV import and the transfers candidate intake)
take the same steps: the file is checked, its good rows are stored here, server-side and never
in the session, with an expiry, and the preview is shown; the user confirms, naming the stored
preview and the file's digest; a small file is imported at once, a large one by the worker
(`run` below, from each app's task) while the page shows a progress bar. Either way the import
is all or nothing, in one transaction. Expired previews and finished jobs are deleted by
import_jobs_purge (beat).
"""

import json
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from program.audit.models import AccessLogEntry
from program.core.errors import ApplicationError
from program.inmates.csv_import import ROW_FIELDS, InmateRow
from program.inmates.models import Inmate
from program.inmates.models_import import ImportJob

logger = logging.getLogger(__name__)

# How long a preview waits for its confirmation, and a finished job's page stays available.
PREVIEW_TTL = timedelta(hours=1)
# From this many rows the import runs in the worker, so that no request waits for it.
BACKGROUND_FROM_ROWS = 1000

Progress = Callable[[int], None]
# What an import does with the rows: the service, called inside the job's transaction; it
# returns the counts to show (created, updated, unchanged, …).
Apply = Callable[[Sequence[InmateRow], User, Progress | None], dict[str, int]]


def apply_register_import(
    rows: Sequence[InmateRow], actor: User, progress: Progress | None
) -> dict[str, int]:
    """The inmate register's import (services.inmates_import_csv), as a job's Apply."""
    from program.inmates import services

    result = services.inmates_import_csv(rows=rows, actor=actor, progress=progress)
    return asdict(result)


def pack(rows: Sequence[InmateRow]) -> bytes:
    """The rows as compressed JSON, each a list of its values in ROW_FIELDS order (the
    preview waits for this: no dict per row, the fast compression level)."""
    values = [[getattr(row, name) for name in ROW_FIELDS] for row in rows]
    return zlib.compress(json.dumps(values, default=date.isoformat).encode(), 1)


def unpack(data: bytes | memoryview) -> list[InmateRow]:
    if not data:
        return []
    return [
        InmateRow.from_json(dict(zip(ROW_FIELDS, values, strict=True)))
        for values in json.loads(zlib.decompress(bytes(data)))
    ]


def preview_store(
    *, kind: str, owner: AbstractBaseUser, digest: str, rows: Sequence[InmateRow]
) -> ImportJob:
    """Keep a checked file's rows until it is confirmed or expires (replacing the owner's
    earlier preview of the same kind: one file at a time)."""
    with transaction.atomic():
        ImportJob.objects.filter(
            owner_id=owner.pk, kind=kind, state=ImportJob.State.PREVIEWED
        ).delete()
        return ImportJob.objects.create(
            kind=kind,
            owner_id=owner.pk,
            digest=digest,
            rows=pack(rows),
            total=len(rows),
            expires_at=timezone.now() + PREVIEW_TTL,
        )


def preview_drop(*, kind: str, owner: AbstractBaseUser) -> None:
    ImportJob.objects.filter(owner_id=owner.pk, kind=kind, state=ImportJob.State.PREVIEWED).delete()


def preview_get(
    *, kind: str, owner: AbstractBaseUser, job_id: UUID, digest: str
) -> ImportJob | None:
    """The owner's preview of that file, if it has not expired (nobody else's, ever)."""
    return (
        ImportJob.objects.filter(
            pk=job_id,
            kind=kind,
            owner_id=owner.pk,
            digest=digest,
            state=ImportJob.State.PREVIEWED,
            expires_at__gt=timezone.now(),
        )
        .defer("rows")
        .first()
    )


def job_for(*, kind: str, owner: AbstractBaseUser, job_id: UUID) -> ImportJob | None:
    """A job's state for its progress page (its rows are not read)."""
    return ImportJob.objects.filter(pk=job_id, kind=kind, owner_id=owner.pk).defer("rows").first()


def job_queue(*, job: ImportJob, task: str) -> bool:
    """Hand a confirmed preview to the worker (compare-and-set: a second confirm does nothing).

    The task is queued through the outbox in the same transaction, so it is sent once the
    broker takes it even if the broker is down at this moment.
    """
    from program.outbox.services import enqueue

    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEWED).update(
            state=ImportJob.State.QUEUED, expires_at=timezone.now() + PREVIEW_TTL
        )
        if moved:
            enqueue(task, str(job.pk), key=f"import_job:{job.pk}")
    return bool(moved)


class _ProgressWriter:
    """Writes `done` through a connection of its own, outside the import's transaction, so the
    progress page sees it while the import is still uncommitted."""

    def __init__(self, job_id: UUID) -> None:
        self.job_id = job_id
        self.connection = connections.create_connection("default")

    def __call__(self, done: int) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE inmates_importjob SET done = LEAST(%s, total) WHERE id = %s",
                    [done, self.job_id],
                )
        except DatabaseError:  # a lost progress report is not worth failing the import for
            logger.warning("import job progress not written", exc_info=True)

    def close(self) -> None:
        self.connection.close()


def run(*, job_id: UUID | str, apply: Apply, route: str, background: bool = True) -> ImportJob:
    """Import a confirmed job's rows, all or nothing, and record the outcome on the job.

    Idempotent: only a job queued (or, when run at once in the request, previewed) is taken,
    by compare-and-set; a second delivery of the task finds it running or over and does
    nothing. The rows are dropped when the job ends, whatever the outcome.
    """
    taken_from = ImportJob.State.QUEUED if background else ImportJob.State.PREVIEWED
    taken = ImportJob.objects.filter(pk=job_id, state=taken_from).update(
        state=ImportJob.State.RUNNING, done=0
    )
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if not taken:
        return job
    rows = unpack(job.rows)
    progress = _ProgressWriter(job.pk) if background else None
    try:
        with transaction.atomic():
            result = apply(rows, job.owner, progress)
            _log_collection(job=job, rows=rows, result=result, route=route)
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.DONE,
                done=job.total,
                result=result,
                rows=b"",
                expires_at=timezone.now() + PREVIEW_TTL,
            )
    except ApplicationError as error:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED,
            error=error.message,
            rows=b"",
            expires_at=timezone.now() + PREVIEW_TTL,
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED, rows=b"", expires_at=timezone.now() + PREVIEW_TTL
        )
        raise
    finally:
        if progress is not None:
            progress.close()
    job.refresh_from_db()
    return job


def _log_collection(
    *, job: ImportJob, rows: Sequence[InmateRow], result: dict[str, Any], route: str
) -> None:
    """The import collected these people's data: one access-log row naming them all."""
    people = Inmate.objects.filter(case_number__in=[row.case_number for row in rows])
    AccessLogEntry.objects.create(
        actor=job.owner,
        actor_username=job.owner.get_username(),
        action=AccessLogEntry.Action.IMPORT,
        subject_type="inmate",
        subject_ids=[str(pk) for pk in people.order_by("pk").values_list("pk", flat=True)],
        purpose="import",
        request_id=str(job.pk),
        route=route,
        criterion=result,
    )


def purge(*, now: Any = None) -> int:
    """Delete expired previews and the records of finished jobs; jobs running are kept."""
    moment = now or timezone.now()
    deleted, _by_model = (
        ImportJob.objects.filter(expires_at__lt=moment)
        .exclude(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING])
        .delete()
    )
    return deleted
