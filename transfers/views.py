"""Transfer case pages. Each view parses its input, calls a selector or a service, and renders.

The route policy has checked the role for the URL; the services check who owns each move.
Messages never carry an inmate's name: they travel in a cookie.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.listing import log_listed
from program.audit.models import AccessLogEntry
from program.audit.purpose import ask_purpose
from program.audit.services import access_log_record
from program.audit.views import history_tab
from program.cells import programmes
from program.core.acting import acting_user
from program.core.capabilities import holds
from program.core.errors import ApplicationError
from program.core.policy import allows
from program.core.roles import user_roles
from program.core.uploads import stored_file_response
from program.inmates.minimisation import (
    MEDICAL_DOCUMENT_KINDS,
    screening_results_for,
    sees_health_and_family,
)
from program.inmates.selectors import inmate_by_case_number
from program.visits import selectors as visit_selectors
from program.visits.record_links import contact_summary
from transfers import eligibility, release_preparation, selectors, services
from transfers.forms import (
    AppealOutcomeForm,
    CaseOpenForm,
    DecisionForm,
    DocumentForm,
    OpinionForm,
    ReleasePreparationForm,
    ReviewForm,
    TransitionForm,
    WorklistForm,
)
from transfers.models import (
    Document,
    ReasonCode,
    Screening,
    TransferCase,
    missing_release_steps,
)
from transfers.moves import APPEAL_OPEN_STATES, MOVES, NoInput, action_label
from transfers.rule_texts import RuleTexts

PAGE_SIZE = 50
# How the access log names a transfer case (as the notifications do).
CASE_SUBJECT = "transfer_case"


def _back(pk: int) -> HttpResponse:
    return redirect("transfers:case-detail", pk=pk)


def worklist(request: HttpRequest) -> HttpResponse:
    form = WorklistForm(request.GET or None)
    form.fields["programme"].choices = programmes.filter_choices()  # type: ignore[attr-defined]
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    programme_id = programmes.filter_value(data.get("programme"), request.user)
    form.fields["programme"].initial = str(programme_id) if programme_id else programmes.ALL
    filters = selectors.CaseFilters(
        agreement_id=programme_id,
        mine=data.get("scope") == "mine",
        states=tuple(data.get("state") or ()),
        due_within_days=data.get("due_within"),
        nationality=data.get("nationality", ""),
        institution=data.get("institution", ""),
        search=data.get("q", ""),
        sort=data.get("sort") or "updated",
        needs_action_of=user_roles(request.user) if data.get("needs_action") else frozenset(),
    )
    cases = selectors.case_list(user=acting_user(request), filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = user_roles(request.user)
    # Everyone on the page is read, with the filter that found them.
    log_listed(
        request,
        page.object_list,
        ("inmate_id",),
        criterion={
            key: value for key, value in data.items() if key != "sort" and value is not False
        },
    )
    return render(
        request,
        "transfers/worklist.html",
        {
            "form": form,
            "page": page,
            "can_open": holds(roles, "case.open"),
            "can_screen": holds(roles, "case.screen"),
        },
    )


def case_open(request: HttpRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        inmate = inmate_by_case_number(case_number=form.cleaned_data["case_number"])
        if inmate is None:
            form.add_error("case_number", _("No inmate has this case number."))
        else:
            try:
                case = services.case_open(
                    inmate=inmate,
                    actor=acting_user(request),
                    agreement=form.cleaned_data.get("agreement"),
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Case #%(pk)s opened.") % {"pk": case.pk})
                return _back(case.pk)
    return render(request, "transfers/case_open.html", {"form": form})


def _case_view_logged(
    request: HttpRequest, case: TransferCase, *, part: str = ""
) -> HttpResponse | None:
    """A case shows the inmate's record: the case's own caseworker is doing case work, anyone
    else says why first (once per person per session; the purpose page is returned); every view
    is logged."""
    asked = ask_purpose(request, "inmate", case.inmate_id)
    if asked is not None:
        return asked
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="inmate",
        subject_id=case.inmate_id,
        criterion={CASE_SUBJECT: case.pk, **({"part": part} if part else {})},
    )
    return None


def _family_contact(
    case: TransferCase, roles: frozenset[str], now: datetime
) -> dict[str, str] | None:
    """The count of visits and video calls for the eligibility panel (program/visits), read
    with the case's row (case_detail_queryset's `family_contact_row`)."""
    if not allows("visits:person", roles):
        return None
    inmate_id = case.inmate_id
    counts = visit_selectors.contact_counts_from(getattr(case, "family_contact_row", None), now=now)
    return {"summary": contact_summary(counts), "url": reverse("visits:person", args=[inmate_id])}


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    case = get_object_or_404(selectors.case_detail_queryset(now=now), pk=pk)
    asked = _case_view_logged(request, case)
    if asked is not None:
        return asked
    roles = user_roles(request.user)
    moves = services.moves_for(case=case, roles=roles)
    reasons: dict[str, list[ReasonCode]] = {}
    if any(move.reason for _to, move in moves):  # no query when no move asks for a reason
        for reason in ReasonCode.objects.filter(active=True):
            reasons.setdefault(reason.applies_to, []).append(reason)
    actions = [
        {
            "to": to,
            "label": action_label(case.state, to),
            # The state the case lands in, beside the verb, so the button's effect is plain.
            "lands_in": TransferCase.State(to).label,
            "reasons": reasons.get(move.reason, []) if move.reason else [],
            # The move's fields, derived from its typed input; ids unique on the page.
            "form": TransitionForm(
                input_type=move.input,
                initial={"to": to, "version": case.version},
                auto_id=f"id_{to}_%s",
            ),
        }
        for to, move in moves
    ]
    manages = holds(roles, "case.manage")
    can_review = manages and case.state == TransferCase.State.SERVING
    # The screening, documents, opinions, decisions and parameters came with the case's row.
    records = selectors.case_records(case)
    screening = records.screening
    results = screening_results_for(
        _screening_results(screening, texts_version=records.texts_version),
        minimised=not sees_health_and_family(request.user),
    )
    params = records.params
    release = _release_preparation_context(case, can_edit=manages, params=params)
    return render(
        request,
        "transfers/case_detail.html",
        {
            "case": case,
            "events": selectors.case_events(case),
            "screening": screening,
            "screening_results": results,
            # Beside E15 (minor children visiting): the visits and video calls actually held.
            "family_contact": _family_contact(case, roles, now),
            # The rules that did not pass, named above the table so they are not missed.
            "rules_flagged": [result for result in results if result["outcome"] != "pass"],
            "reviewed_as": _reviewed_as(case, screening),
            "can_see_access": allows("audit:access-log", roles),
            "rules": eligibility.RULES_BY_ID,
            "checklist": selectors.document_checklist(case, records.documents),
            "sees_medical_documents": sees_health_and_family(request.user),
            "actions": actions,
            "can_screen": holds(roles, "case.screen") and case.state in services.SCREENABLE_STATES,
            "can_opine": manages and case.state in services.PRE_DECISION_STATES,
            "can_decide": manages and case.state == TransferCase.State.HOST_REVIEW,
            "can_upload": holds(roles, "case.document.upload") and case.is_open,
            "can_record_appeal": manages
            and case.state in APPEAL_OPEN_STATES
            and bool(case.appeal_lodged_on)
            and not case.appeal_outcome,
            "can_review": can_review,
            # Only a serving case is reviewed: the parameters are read for that one form.
            "review_form": ReviewForm(
                initial={
                    "reviewed_on": timezone.localdate(),
                    "next_review_on": timezone.localdate()
                    + timedelta(days=params.review_interval_days),
                },
                auto_id="id_review_%s",
            )
            if can_review
            else None,
            "opinion_form": OpinionForm(),
            "decision_form": DecisionForm(),
            "document_form": DocumentForm(),
            "appeal_form": AppealOutcomeForm(
                initial={"version": case.version, "decided_on": timezone.localdate()}
            ),
            "opinions": records.opinions,
            "decisions": records.decisions,
            **release,
        },
    )


# The states in which the case page looks for a release preparation at all.
_RELEASE_STATES = frozenset(
    {
        TransferCase.State.SERVING,
        TransferCase.State.RELEASE_PREP,
        TransferCase.State.DEPORTED,
        TransferCase.State.RELEASED_NOT_REMOVABLE,
    }
)


def _release_preparation_context(
    case: TransferCase, *, can_edit: bool, params: eligibility.Params | None = None
) -> dict[str, Any]:
    """The "Release preparation" section: shown while serving within the window (parameter
    release_prep_days) or once begun; editable by caseworkers while the stay lasts."""
    if case.state not in _RELEASE_STATES:
        return {"release_shown": False}
    # Joined to the case's row by case_detail_queryset() (None when nothing is recorded).
    preparation = getattr(case, "release_preparation", None)
    if not release_preparation.is_shown(case, preparation, params):
        return {"release_shown": False}
    initial = {"version": preparation.version if preparation else 0}
    return {
        "release_shown": True,
        "release_preparation": preparation,
        "release_window": release_preparation.window(case, params),
        "release_missing": missing_release_steps(preparation),
        "release_can_edit": can_edit
        and case.state in (TransferCase.State.SERVING, TransferCase.State.RELEASE_PREP),
        "release_form": ReleasePreparationForm(
            initial={**(model_to_dict(preparation) if preparation else {}), **initial}
        ),
    }


def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page's History tab, on request: the case file's changes are the inmate's record
    too, so the same purpose rule and access log apply as on the case page."""
    case = get_object_or_404(TransferCase, pk=pk)
    asked = _case_view_logged(request, case, part="history")
    if asked is not None:
        return asked
    return history_tab(
        request,
        selectors.case_file_history(case),
        record=_("case %(number)s") % {"number": case.pk},
        back=reverse("transfers:case-detail", args=[pk]),
    )


@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    move = MOVES.get((case.state, request.POST.get("to", "")))
    form = TransitionForm(request.POST, input_type=move.input if move else NoInput)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label or name}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        messages.error(request, _("Correct the move: %(problems)s.") % {"problems": problems})
        return _back(pk)
    values = form.cleaned_data
    try:
        services.case_transition(
            case=case,
            to=values["to"],
            reason_code=values.get("reason") or "",
            text=values.get("text") or "",
            actor=acting_user(request),
            data={name: values.get(name) for name in form.input_names},
            # The version the page was rendered with: a case moved since is refused, saying who.
            expected_version=values["version"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The case is now %(state)s.") % {"state": case.get_state_display()}
        )
    return _back(pk)


@require_POST
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the outcome, the day of the review and the next review."))
        return _back(pk)
    try:
        services.review_record(case=case, actor=acting_user(request), **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The periodic review is recorded."))
    return _back(pk)


@require_POST
def case_screen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    try:
        screening = services.case_screen(case=case, actor=acting_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Screened: %(o)s.") % {"o": screening.get_outcome_display()})
    return _back(pk)


@require_POST
def case_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the stance, the day heard and the language."))
        return _back(pk)
    try:
        services.opinion_record(case=case, actor=acting_user(request), **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The inmate's opinion is recorded."))
    return _back(pk)


@require_POST
def case_decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the outcome, authority, legal basis and date."))
        return _back(pk)
    try:
        services.decision_record(case=case, actor=acting_user(request), **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded."))
    return _back(pk)


@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the kind and a file."))
        return _back(pk)
    try:
        document = services.document_upload(
            case=case,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            actor=acting_user(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uploaded %(doc)s.") % {"doc": document})
    return _back(pk)


def _reviewed_as(case: TransferCase, screening: Screening | None) -> str:
    """The case's state when a caseworker's review has since settled what the screening left
    open ("needs review" and then confirmed eligible), so the panel tells the current truth."""
    settled = {TransferCase.State.ELIGIBLE, TransferCase.State.INELIGIBLE}
    if screening is None or case.state not in settled or screening.outcome == case.state:
        return ""
    return str(case.get_state_display())


def _screening_results(
    screening: Screening | None, *, texts_version: str | None = None
) -> list[dict[str, Any]]:
    """Each rule's outcome and its reason in the reader's language (the wordings from the
    process's copy when `texts_version`, read with the page's row, says it is current)."""
    if screening is None:
        return []
    texts = RuleTexts(version=texts_version)
    return [
        {"id": result.get("id"), "outcome": result.get("outcome"), "reason": texts.reason(result)}
        for result in screening.results
    ]


def document_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """One stored version of a document, as an attachment named without personal data.

    It leaves the system with the person's data: an export, logged with the purpose given for
    the person (asked here too when the download is opened directly).
    """
    document = get_object_or_404(Document.objects.select_related("case"), pk=pk)
    if document.kind in MEDICAL_DOCUMENT_KINDS and not sees_health_and_family(request.user):
        raise PermissionDenied(_("Medical documents are for the caseworker and the auditor."))
    asked = ask_purpose(request, "inmate", document.case.inmate_id)
    if asked is not None:
        return asked
    response = stored_file_response(
        document.file,
        name=f"case-{document.case_id}-{document.kind}-v{document.version}",
        content_type=document.content_type,
        missing=_("The file of this document is missing from storage."),
    )
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.EXPORT,
        subject_type="inmate",
        subject_id=document.case.inmate_id,
        criterion={
            CASE_SUBJECT: document.case_id,
            "document": document.kind,
            "version": document.version,
        },
    )
    return response
