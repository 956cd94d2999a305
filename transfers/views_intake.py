"""Screening many cases at once (the intake of a candidate file: transfers/intake_flow.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.core.acting import acting_user
from program.core.errors import ApplicationError
from transfers import services
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
