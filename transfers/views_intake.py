"""Screening many cases at once and the intake of a candidate file."""

import hashlib
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.inmates import csv_import, import_jobs
from program.inmates import selectors as inmates_selectors
from program.inmates.models_import import ImportJob
from transfers import intake as transfer_intake
from transfers import selectors, services
from transfers.forms import (
    IntakeConfirmForm,
    IntakeForm,
)
from transfers.models import (
    ScreeningJob,
    TransferCase,
)

PAGE_SIZE = 50
# How the access log names a transfer case (as the notifications do).
CASE_SUBJECT = "transfer_case"


@require_POST
def screen_selected(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.getlist("case")
    ids = [int(pk) for pk in chosen if pk.isascii() and pk.isdigit()]
    if not ids or len(ids) != len(chosen):
        messages.error(request, _("Tick the cases to screen in the list, then press Screen."))
        return redirect("transfers:worklist")
    done, refused = 0, 0
    for case in TransferCase.objects.filter(pk__in=ids).order_by("pk"):
        try:
            services.case_screen(case=case, actor=acting_user(request))
            done += 1
        except ApplicationError:
            refused += 1
    messages.info(
        request,
        _("Screened %(done)s case(s); %(refused)s could not be screened in their state.")
        % {"done": done, "refused": refused},
    )
    return redirect("transfers:worklist")


@require_POST
def screen_all(request: HttpRequest) -> HttpResponse:
    try:
        job = services.screen_job_start(actor=acting_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("transfers:worklist")
    return redirect("transfers:screen-job", pk=job.pk)


def screen_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: the whole page, or only the bar when htmx polls for it."""
    job = get_object_or_404(ScreeningJob.objects.select_related("started_by"), pk=pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "transfers/_screen_job_progress.html", {"job": job})
    return render(request, "transfers/screen_job.html", {"job": job})


INTAKE_KIND = ImportJob.Kind.CANDIDATES
# The preview lists this many rows; the counts above it cover the whole file.
PREVIEW_ROWS = 100


def intake(request: HttpRequest) -> HttpResponse:
    """Step 1 checks the file and previews it (or names its problems); step 2 imports.

    The checked rows wait server-side (program/inmates/import_jobs, never in the session) under
    the SHA-256 of the file previewed; confirming imports exactly those rows: at once for a
    small file, by the worker with a progress page for a large one.
    """
    if request.method == "POST" and "cancel" in request.POST:
        import_jobs.preview_drop(kind=INTAKE_KIND, owner=acting_user(request))
        return redirect("transfers:intake")
    if request.method == "POST" and "digest" in request.POST:
        return _intake_confirm(request)
    # Bound on every POST: a POST that carries no file (so an empty request.POST) must show
    # "choose a file", not the blank form again.
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict[str, Any] = {"form": form, "columns": csv_import.COLUMNS}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        parsed = transfer_intake.parse(data, known_countries=inmates_selectors.country_codes())
        context["parsed"] = parsed
        if parsed.ok:
            digest = hashlib.sha256(data).hexdigest()
            job = import_jobs.preview_store(
                kind=INTAKE_KIND, owner=acting_user(request), digest=digest, rows=parsed.rows
            )
            plan = selectors.intake_plan(rows=parsed.rows)
            context.update(
                plan=plan,
                shown=plan[:PREVIEW_ROWS],
                not_shown=max(0, len(plan) - PREVIEW_ROWS),
                to_open=sum(1 for line in plan if line.opens_case),
                background=job.total >= import_jobs.BACKGROUND_FROM_ROWS,
                confirm_form=IntakeConfirmForm(initial={"digest": digest, "job": job.pk}),
            )
        else:
            import_jobs.preview_drop(kind=INTAKE_KIND, owner=acting_user(request))
    return render(request, "transfers/intake.html", context)


def _intake_confirm(request: HttpRequest) -> HttpResponse:
    form = IntakeConfirmForm(request.POST)
    job = (
        import_jobs.preview_get(
            kind=INTAKE_KIND,
            owner=acting_user(request),
            job_id=form.cleaned_data["job"],
            digest=form.cleaned_data["digest"],
        )
        if form.is_valid()
        else None
    )
    if job is None:
        messages.error(request, _("That preview is no longer available; upload the file again."))
        return redirect("transfers:intake")
    if job.total >= import_jobs.BACKGROUND_FROM_ROWS:
        import_jobs.job_queue(job=job, task=transfer_intake.INTAKE_TASK)
        return redirect("transfers:intake-job", pk=job.pk)
    # Collecting people's data from the prison system is logged (by the job), as the
    # registry's import is.
    job = import_jobs.run(
        job_id=job.pk,
        apply=transfer_intake.apply_intake,
        route="transfers:intake",
        background=False,
    )
    if job.state != ImportJob.State.DONE:
        return render(
            request,
            "transfers/intake.html",
            {
                "form": IntakeForm(),
                "columns": csv_import.COLUMNS,
                "import_error": {"message": job.error},
            },
        )
    messages.success(
        request,
        _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged inmates; "
            "%(cases_opened)s case(s) opened; %(judgments_added)s judgment(s) and "
            "%(expulsion_orders_added)s expulsion order(s) added, %(judgments_updated)s and "
            "%(expulsion_orders_updated)s updated."
        )
        % {
            "judgments_added": 0,
            "judgments_updated": 0,
            "expulsion_orders_added": 0,
            "expulsion_orders_updated": 0,
            **job.result,
        },
    )
    return redirect("transfers:worklist")


def intake_job(request: HttpRequest, pk: UUID) -> HttpResponse:
    """A large intake's progress: the page, or only the bar when htmx polls for it."""
    job = import_jobs.job_for(kind=INTAKE_KIND, owner=acting_user(request), job_id=pk)
    if job is None:
        raise Http404(_("There is no such import, or it has expired."))
    context = {
        "job": job,
        "poll_url": reverse("transfers:intake-job", args=[job.pk]),
        "title": _("Import candidates"),
        "again_url": reverse("transfers:intake"),
        "done_url": reverse("transfers:worklist"),
        "done_label": _("Go to the worklist"),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "imports/_job_progress.html", context)
    return render(request, "imports/job.html", context)
