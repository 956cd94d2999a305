"""The inmate register's import page (program/core/imports.py), and the store of checked files
that it shares with the candidate intake (transfers/intake_flow.py).

Both keep their checked rows as import jobs (program/inmates/import_jobs.py), told apart by kind.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from program.core.imports import ImportFlow, Outcome, Preview, import_views
from program.inmates import csv_import, import_jobs, selectors
from program.inmates.forms import InmateImportForm
from program.inmates.models_import import ImportJob
from program.inmates.tasks import REGISTER_IMPORT_TASK


@dataclass(frozen=True)
class HeldRows:
    """An import's checked rows kept as import jobs of one kind; `apply` imports them (by the
    worker's `task` for a large file) and the access log names the route they came in by."""

    kind: str
    task: str
    apply: import_jobs.Apply
    route: str

    def hold(
        self, *, owner: AbstractBaseUser, digest: str, rows: Sequence[csv_import.InmateRow]
    ) -> ImportJob:
        return import_jobs.preview_store(kind=self.kind, owner=owner, digest=digest, rows=rows)

    def held(self, *, owner: AbstractBaseUser, job_id: UUID, digest: str) -> ImportJob | None:
        return import_jobs.preview_get(kind=self.kind, owner=owner, job_id=job_id, digest=digest)

    def drop(self, *, owner: AbstractBaseUser) -> None:
        import_jobs.preview_drop(kind=self.kind, owner=owner)

    def in_background(self, held: ImportJob) -> bool:
        return held.total >= import_jobs.BACKGROUND_FROM_ROWS

    def queue(self, held: ImportJob) -> None:
        import_jobs.job_queue(job=held, task=self.task)

    def run_now(self, held: ImportJob) -> Outcome:
        # Collecting people's data is logged by the job, whichever import collects it.
        job = import_jobs.run(job_id=held.pk, apply=self.apply, route=self.route, background=False)
        if job.state != ImportJob.State.DONE:
            return Outcome(done=False, error=job.error)
        return Outcome(done=True, counts=job.result)

    def progress(self, *, owner: AbstractBaseUser, job_id: UUID) -> ImportJob | None:
        return import_jobs.job_for(kind=self.kind, owner=owner, job_id=job_id)


def _parse(data: bytes) -> csv_import.ParsedFile:
    return csv_import.parse(data, known_countries=selectors.country_codes())


def _preview(rows: Sequence[csv_import.InmateRow]) -> Preview:
    plan = selectors.inmate_import_plan(rows=rows)
    return Preview(lines=plan.actions, context={"plan": plan})


def _problems_summary(parsed: csv_import.ParsedFile) -> str:
    n = parsed.problem_total
    return ngettext(
        "The file has %(n)s problem. Correct it and upload the file again.",
        "The file has %(n)s problems. Correct them and upload the file again.",
        n,
    ) % {"n": formats.localize(n)}  # as a template writes it: 6,000


def _done_message(counts: Mapping[str, Any]) -> str:
    return (
        _("Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % counts
    )


FLOW = ImportFlow(
    route="inmates:import",
    job_route="inmates:import-job",
    done_route="inmates:list",
    done_label=gettext_lazy("Go to the inmate list"),
    parent_label=gettext_lazy("Inmates"),
    title=gettext_lazy("Import inmates from CSV"),
    current_label=gettext_lazy("Import from CSV"),
    submit_label=gettext_lazy("Import these rows"),
    testid="import",
    form=InmateImportForm,
    columns=csv_import.COLUMNS,
    parse=_parse,
    preview=_preview,
    store=HeldRows(
        kind=ImportJob.Kind.INMATES,
        task=REGISTER_IMPORT_TASK,
        apply=import_jobs.apply_register_import,
        route="inmates:import",
    ),
    problems_summary=_problems_summary,
    done_message=_done_message,
    preview_template="inmates/_import_preview.html",
    about_template="inmates/_import_about.html",
)
VIEWS = import_views(FLOW)
