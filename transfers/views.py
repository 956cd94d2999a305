"""Transfer case pages. Each view parses its input, calls a selector or a service, and renders.

The route policy has checked the role for the URL; the services check who owns each move.
Messages never carry an inmate's name: they travel in a cookie.
"""

import hashlib
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.models import AccessLogEntry
from program.audit.purpose import ask_purpose
from program.audit.services import access_log_record, access_log_record_many
from program.audit.views import history_tab
from program.core.errors import ApplicationError
from program.core.policy import allows
from program.core.roles import user_roles
from program.inmates import csv_import
from program.inmates import selectors as inmates_selectors
from program.inmates.models import Inmate
from transfers import eligibility, release_preparation, selectors, services
from transfers import intake as transfer_intake
from transfers.forms import (
    AppealOutcomeForm,
    BatchForm,
    CaseOpenForm,
    DecisionForm,
    DocumentForm,
    IntakeConfirmForm,
    IntakeForm,
    OpinionForm,
    ParameterForm,
    ReleasePreparationForm,
    TransitionForm,
    WorklistForm,
)
from transfers.models import (
    Document,
    ReasonCode,
    ScreeningJob,
    TransferCase,
    TransportBatch,
    missing_release_steps,
)

PAGE_SIZE = 50
# How the access log names a transfer case (as the notifications do).
CASE_SUBJECT = "transfer_case"


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _back(pk: int) -> HttpResponse:
    return redirect("transfers:case-detail", pk=pk)


def worklist(request: HttpRequest) -> HttpResponse:
    form = WorklistForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(
        mine=data.get("scope") == "mine",
        states=tuple(data.get("state") or ()),
        due_within_days=data.get("due_within"),
        nationality=data.get("nationality", ""),
        institution=data.get("institution", ""),
        search=data.get("q", ""),
        sort=data.get("sort") or "updated",
        needs_action_of=user_roles(request.user) if data.get("needs_action") else frozenset(),
    )
    cases = selectors.case_list(user=_actor(request), filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = user_roles(request.user)
    # A search of people's files: its criterion is logged (a plain listing records nothing).
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.SEARCH,
        subject_type=CASE_SUBJECT,
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
            "can_open": allows("transfers:case-open", roles) and "caseworker" in roles,
            "can_screen": "caseworker" in roles,
        },
    )


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
            services.case_screen(case=case, actor=_actor(request))
            done += 1
        except ApplicationError:
            refused += 1
    messages.info(
        request,
        _("Screened %(done)s case(s); %(refused)s could not be screened in their state.")
        % {"done": done, "refused": refused},
    )
    return redirect("transfers:worklist")


def case_open(request: HttpRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inmate = Inmate.objects.filter(case_number=form.cleaned_data["case_number"].strip()).first()
        if inmate is None:
            form.add_error("case_number", _("No inmate has this case number."))
        else:
            try:
                case = services.case_open(inmate=inmate, actor=_actor(request))
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


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(selectors.case_detail_queryset(), pk=pk)
    asked = _case_view_logged(request, case)
    if asked is not None:
        return asked
    roles = user_roles(request.user)
    moves = services.moves_for(case=case, roles=roles)
    reasons: dict[str, list[ReasonCode]] = {}
    for reason in ReasonCode.objects.filter(active=True):
        reasons.setdefault(reason.applies_to, []).append(reason)
    actions = [
        {
            "to": to,
            "label": TransferCase.State(to).label,
            "reasons": reasons.get(move.reason, []) if move.reason else [],
            "needs": move.needs,
        }
        for to, move in moves
    ]
    is_caseworker = "caseworker" in roles
    screening = selectors.latest_screening(case)
    release = _release_preparation_context(case, can_edit=is_caseworker)
    return render(
        request,
        "transfers/case_detail.html",
        {
            "case": case,
            "events": selectors.case_events(case),
            "screening": screening,
            "rules": eligibility.RULES_BY_ID,
            "checklist": selectors.document_checklist(case),
            "actions": actions,
            "batches": TransportBatch.objects.filter(
                departs_on__gte=timezone.localdate(), direction=TransportBatch.Direction.TO_HOST
            ).order_by("departs_on")[:20],
            "can_screen": is_caseworker and case.state in services.SCREENABLE_STATES,
            "can_opine": is_caseworker and case.state in services.PRE_DECISION_STATES,
            "can_decide": is_caseworker and case.state == TransferCase.State.HOST_REVIEW,
            "can_upload": bool(roles & {"caseworker", "occupancy_admin"}) and case.is_open,
            "can_record_appeal": is_caseworker
            and case.state == TransferCase.State.UNDER_APPEAL
            and not case.appeal_outcome,
            "opinion_form": OpinionForm(),
            "decision_form": DecisionForm(),
            "document_form": DocumentForm(),
            "appeal_form": AppealOutcomeForm(
                initial={"version": case.version, "decided_on": timezone.localdate()}
            ),
            "opinions": case.opinions.select_related("recorded_by").order_by("-recorded_at"),
            "decisions": case.decisions.select_related("recorded_by").order_by("-recorded_at"),
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


def _release_preparation_context(case: TransferCase, *, can_edit: bool) -> dict[str, Any]:
    """The "Release preparation" section: shown while serving within the window (parameter
    release_prep_days) or once begun; editable by caseworkers while the stay lasts."""
    if case.state not in _RELEASE_STATES:
        return {"release_shown": False}
    preparation = release_preparation.current(case)
    if not release_preparation.is_shown(case, preparation):
        return {"release_shown": False}
    initial = {"version": preparation.version if preparation else 0}
    return {
        "release_shown": True,
        "release_preparation": preparation,
        "release_window": release_preparation.window(case),
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
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; try again."))
        return _back(pk)
    values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    # The version the page was rendered with: a case moved since is refused, saying by whom.
    read_version = values.pop("version")
    try:
        services.case_transition(
            case=case,
            to=values.pop("to"),
            reason_code=values.pop("reason", ""),
            text=values.pop("text", ""),
            actor=_actor(request),
            data=values,
            expected_version=read_version,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The case is now %(state)s.") % {"state": case.get_state_display()}
        )
    return _back(pk)


@require_POST
def case_screen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TransferCase, pk=pk)
    try:
        screening = services.case_screen(case=case, actor=_actor(request))
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
        services.opinion_record(case=case, actor=_actor(request), **form.cleaned_data)
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
        services.decision_record(case=case, actor=_actor(request), **form.cleaned_data)
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
            actor=_actor(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uploaded %(doc)s.") % {"doc": document})
    return _back(pk)


def batch_list(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(actor=_actor(request), **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("transfers:batch-detail", pk=batch.pk)
    roles = user_roles(request.user)
    batches = TransportBatch.objects.order_by("-departs_on", "-id")
    return render(
        request,
        "transfers/batch_list.html",
        {
            "form": form,
            "page": Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_plan": "caseworker" in roles,
        },
    )


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(TransportBatch, pk=pk)
    manifest = list(
        batch.manifest.select_related("case__inmate", "placement__place__cell").order_by("added_at")
    )
    # The page names everyone booked: one row per person, in one insert.
    access_log_record_many(
        request=request,
        action=AccessLogEntry.Action.LIST,
        subject_type="inmate",
        subject_ids=[entry.case.inmate_id for entry in manifest],
        purpose="transport planning",
        criterion={"transport_batch": batch.pk},
    )
    return render(
        request,
        "transfers/batch_detail.html",
        {
            "batch": batch,
            "manifest": manifest,
            "can_download_manifest": allows("transfers:batch-manifest", user_roles(request.user)),
        },
    )


def rules(request: HttpRequest) -> HttpResponse:
    params = eligibility.params_load()
    history = eligibility.params_history()
    rows = [
        {
            "name": name,
            "spec": spec,
            "value": getattr(params, name),
            "history": history.get(name, []),
        }
        for name, spec in eligibility.PARAMETERS.items()
    ]
    return render(
        request,
        "transfers/rules.html",
        {
            "rules": eligibility.RULES,
            "rule_set_version": params.rule_set_version,
            "parameters": rows,
            "can_edit": allows("transfers:rule-parameter-edit", user_roles(request.user)),
            "almost": selectors.almost_eligible()[:50],
        },
    )


def rule_parameter_edit(request: HttpRequest, name: str) -> HttpResponse:
    spec = eligibility.PARAMETERS.get(name)
    if spec is None:
        raise Http404
    form = ParameterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_parameter_set(
                name=name,
                raw_value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                actor=_actor(request),
            )
        except ApplicationError as error:
            form.add_error("value", error.message)
        else:
            messages.success(request, _("%(label)s changed.") % {"label": spec.label})
            return redirect("transfers:rules")
    current = getattr(eligibility.params_load(), name)
    return render(
        request,
        "transfers/parameter_form.html",
        {"form": form, "name": name, "spec": spec, "current": current},
    )


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def document_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """One stored version of a document, as an attachment named without personal data.

    It leaves the system with the person's data: an export, logged with the purpose given for
    the person (asked here too when the download is opened directly).
    """
    document = get_object_or_404(Document.objects.select_related("case"), pk=pk)
    asked = ask_purpose(request, "inmate", document.case.inmate_id)
    if asked is not None:
        return asked
    extension = EXTENSIONS.get(document.content_type, "bin")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file of this document is missing from storage.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"case-{document.case_id}-{document.kind}-v{document.version}.{extension}",
        content_type=document.content_type,
    )
    # The stored bytes were sniffed on upload; the browser must not second-guess the type.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
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


@require_POST
def screen_all(request: HttpRequest) -> HttpResponse:
    try:
        job = services.screen_job_start(actor=_actor(request))
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


INTAKE_SESSION_KEY = "transfers_intake"


def intake(request: HttpRequest) -> HttpResponse:
    """Step 1 checks the file and previews it (or names every bad row); step 2 imports.

    The checked rows wait in the server-side session under the SHA-256 of the file previewed;
    confirming imports exactly those rows.
    """
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(INTAKE_SESSION_KEY, None)
        return redirect("transfers:intake")
    if request.method == "POST" and "digest" in request.POST:
        return _intake_confirm(request)
    # Bound on every POST: a POST that carries no file (so an empty request.POST) must show
    # "choose a file", not the blank form again.
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict[str, Any] = {"form": form, "columns": csv_import.COLUMNS}
    if request.method == "POST" and form.is_valid():
        request.session.pop(INTAKE_SESSION_KEY, None)
        data = form.cleaned_data["file"].read()
        parsed = transfer_intake.parse(data, known_countries=inmates_selectors.country_codes())
        context["parsed"] = parsed
        if parsed.ok:
            digest = hashlib.sha256(data).hexdigest()
            request.session[INTAKE_SESSION_KEY] = {
                "digest": digest,
                "rows": [row.to_json() for row in parsed.rows],
            }
            plan = selectors.intake_plan(rows=parsed.rows)
            context["plan"] = plan
            context["to_open"] = sum(1 for line in plan if line.opens_case)
            context["confirm_form"] = IntakeConfirmForm(initial={"digest": digest})
    return render(request, "transfers/intake.html", context)


def _intake_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(INTAKE_SESSION_KEY)
    form = IntakeConfirmForm(request.POST)
    if not stored or not form.is_valid() or form.cleaned_data["digest"] != stored["digest"]:
        messages.error(request, _("That preview is no longer available; upload the file again."))
        return redirect("transfers:intake")
    rows = [csv_import.InmateRow.from_json(row) for row in stored["rows"]]
    request.session.pop(INTAKE_SESSION_KEY, None)
    try:
        result = services.candidates_intake(rows=rows, actor=_actor(request))
    except ApplicationError as error:
        return render(
            request,
            "transfers/intake.html",
            {"form": IntakeForm(), "columns": csv_import.COLUMNS, "import_error": error},
        )
    # Collecting people's data from the prison system is logged, as the registry's import is.
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.IMPORT,
        subject_type="inmate",
        criterion={
            "created": result.created,
            "updated": result.updated,
            "cases_opened": result.cases_opened,
        },
    )
    messages.success(
        request,
        _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged inmates; "
            "%(opened)s case(s) opened."
        )
        % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "opened": result.cases_opened,
        },
    )
    return redirect("transfers:worklist")
