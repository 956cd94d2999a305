"""Case pages beyond the moves: the appeal's outcome, release preparation, and the transport
manifest handed over.

The manifest is the list of people on a transport that the host prison receives: handing it
over discloses each of them (LED Art. 25), so each download writes one disclosure row per person
on it, naming the recipient.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record_many
from program.core import exports
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from transfers import release_preparation, selectors, services
from transfers.form_problems import form_problems
from transfers.forms import AppealOutcomeForm, ReleasePreparationForm
from transfers.models import TransferCase, TransportBatch


def manifest_recipient(batch: TransportBatch) -> str:
    """Who receives a transport's manifest, as the disclosure rows name them: the host
    authority of the transport's programme and its facility."""
    agreement = batch.agreement
    facility = agreement.facilities.order_by("id").first()
    return f"{agreement.host_authority}, {facility.name}" if facility else agreement.host_authority


MANIFEST_PURPOSE = "transport manifest for the host prison"
MANIFEST_COLUMNS = [
    "transfer_case",
    "case_number",
    "name",
    "date_of_birth",
    "sex",
    "nationalities",
    "languages",
    "reserved_place",
]


@require_POST
def case_appeal_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = AppealOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the appeal's outcome and the day it was decided."))
        return redirect("transfers:case-detail", pk=pk)
    try:
        services.appeal_decide(
            case=case,
            outcome=form.cleaned_data["outcome"],
            decided_on=form.cleaned_data["decided_on"],
            text=form.cleaned_data["text"],
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The appeal's outcome is recorded; the case is %(state)s.")
            % {"state": case.get_state_display()},
        )
    return redirect("transfers:case-detail", pk=pk)


@require_POST
def case_release_preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the release preparation; each field problem is named in the message."""
    case = get_object_or_404(TransferCase, pk=pk)
    form = ReleasePreparationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Correct the release preparation: %(p)s.") % {"p": form_problems(form)}
        )
        return redirect("transfers:case-detail", pk=pk)
    values = dict(form.cleaned_data)
    read_version = values.pop("version")
    try:
        release_preparation.record(
            case=case,
            actor=acting_user(request),
            values=values,
            expected_version=read_version,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The release preparation is saved."))
    return redirect("transfers:case-detail", pk=pk)


def manifest_rows(batch: TransportBatch) -> list[dict[str, str]]:
    """The people on board (taken-off seats are not handed over), one query for them all."""
    return [
        {
            "transfer_case": str(entry.case_id),
            "case_number": entry.case.inmate.case_number,
            "name": entry.case.inmate.name,
            "date_of_birth": entry.case.inmate.date_of_birth.isoformat(),
            "sex": entry.case.inmate.get_sex_display(),
            "nationalities": " ".join(c.code for c in entry.case.inmate.nationalities.all()),
            "languages": ", ".join(entry.case.inmate.languages or []),
            "reserved_place": str(entry.placement.place) if entry.placement else "",
            "inmate_id": str(entry.case.inmate_id),
        }
        for entry in selectors.manifest_on_board(batch)
    ]


def record_manifest_disclosure(
    request: HttpRequest, batch: TransportBatch, inmate_ids: list[str]
) -> None:
    """One disclosure row per person on the manifest, with the recipient, in one insert."""
    access_log_record_many(
        request=request,
        action=AccessLogEntry.Action.DISCLOSURE,
        subject_type="inmate",
        subject_ids=inmate_ids,
        purpose=MANIFEST_PURPOSE,
        criterion={"transport_batch": batch.pk, "recipient": manifest_recipient(batch)},
    )


@require_GET
def batch_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    """The manifest as CSV, for the host prison: a disclosure of everyone on board."""
    batch = get_object_or_404(TransportBatch, pk=pk)
    rows = manifest_rows(batch)
    record_manifest_disclosure(request, batch, [row["inmate_id"] for row in rows])
    # For the host prison's systems: machine column names and the same bytes in every language.
    # The file name carries the transport, never a person.
    response = exports.table_response(
        fmt="csv",
        stem=f"manifest-{batch.departs_on.isoformat()}-{batch.pk}",
        headers=MANIFEST_COLUMNS,
        rows=([row[column] for column in MANIFEST_COLUMNS] for row in rows),
        dialect=exports.INTERCHANGE,
    )
    return response
