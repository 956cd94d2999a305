"""Letter pages: make a case's letter, start a transport's letters, follow the job's progress.

Thin: the route policy admits the role, the services decide. Downloads go through the case's
document download (transfers:document-download), which asks the purpose and logs the export.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.core.acting import acting_user
from program.core.errors import ApplicationError
from transfers.form_problems import form_problems
from transfers.letters import services
from transfers.letters.data import Inputs
from transfers.letters.forms import LetterForm
from transfers.letters.models import LetterJob
from transfers.models import TransferCase, TransportBatch


def _case_page(pk: int) -> HttpResponse:
    return redirect(reverse("transfers:case-detail", args=[pk]) + "#letters")


@require_POST
def case_letter_generate(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The letter was not made. %(problems)s") % {"problems": form_problems(form)},
        )
        return _case_page(pk)
    values = form.cleaned_data
    try:
        generated = services.letter_generate(
            case=case,
            kind=values["kind"],
            actor=acting_user(request),
            inputs=Inputs.from_values(values),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _case_page(pk)
    document = generated.letter.document
    if generated.created:
        messages.success(
            request,
            _("%(document)s v%(version)s made and added to the case's documents.")
            % {"document": document.get_kind_display(), "version": document.version},
        )
    else:
        messages.info(
            request,
            _("Nothing changed since %(document)s v%(version)s: no new version was made.")
            % {"document": document.get_kind_display(), "version": document.version},
        )
    return _case_page(pk)


@require_POST
def batch_letters(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(TransportBatch, pk=pk)
    try:
        job = services.letter_job_start(batch=batch, actor=acting_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("transfers:batch-detail", pk=pk)
    return redirect("letters:letter-job", pk=job.pk)


def letter_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: the whole page, or only the bar when htmx polls for it."""
    job = get_object_or_404(LetterJob.objects.select_related("started_by", "batch"), pk=pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "letters/_job_progress.html", {"job": job})
    return render(request, "letters/job.html", {"job": job})
