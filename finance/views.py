"""Finance pages: thin views over the selectors and services. The route policy decides who reaches
each one; the pages offer only the actions the user's role may take on the tranche as it is now.

Every action is a plain POST form. When the service accepts it the browser is sent back to the page
with a message; when it refuses, the page is shown again with the service's message in an alert
and the form as it was typed, and nothing has been written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from finance import exports, finding_conditions, selectors, services, views_findings
from finance.api.views import report_window
from finance.forms import ConditionEvidenceForm, ConditionForm, GenerateForm, ReportPeriodForm
from finance.models import Tranche, TrancheApproval, TrancheCondition
from finance.moves import TRANCHE_MOVES, TrancheMove
from program.audit.selectors import HistoryPart, history_of
from program.audit.views import history_tab
from program.cells import programmes
from program.core import charts
from program.core import exports as table_export
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.core.form_errors import show_refusal
from program.core.form_submit import refusal_status
from program.core.policy import may_post
from program.core.templatetags.humanize_money import money
from program.core.uploads import stored_file_response
from program.inspections.selectors import FindingSummary


def _money_text(value: charts.Number) -> str:
    return money(Decimal(str(value)), "EUR")


def _axis_money(value: Decimal) -> str:
    """An axis label: a round amount, short ("EUR 15 m", "EUR 250 k", "EUR 40")."""

    def plain(amount: Decimal) -> str:
        whole = amount.to_integral_value()
        return number_format(whole if amount == whole else amount.normalize(), use_l10n=True)

    if value >= 1_000_000:
        return _("EUR %(n)s m") % {"n": plain(value / 1_000_000)}
    if value >= 1_000:
        return _("EUR %(n)s k") % {"n": plain(value / 1_000)}
    return f"EUR {plain(value)}"


def _year_chart(years: list[selectors.YearTotals]) -> charts.BarChart:
    return charts.bar_chart(
        chart_id="chart-by-year",
        title=_("Planned, invoiced, approved and paid by year (EUR)"),
        description=_("The table below the chart gives the same figures."),
        categories=[str(row.year) for row in years],
        series=[
            charts.Series(_("Planned"), [row.planned for row in years]),
            charts.Series(_("Invoiced"), [row.invoiced for row in years]),
            charts.Series(_("Approved"), [row.approved for row in years]),
            charts.Series(_("Paid"), [row.paid for row in years]),
        ],
        value_text=_money_text,
        axis_text=_axis_money,
    )


def _cost_chart(rows: list[selectors.CostRow], *, chart_id: str, title: str) -> charts.BarChart:
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        description=_(
            "Cost per occupied place-day; a period with no occupied place-day has no bar. "
            "The table below the chart gives the same figures."
        ),
        categories=[row.label for row in rows],
        series=[
            charts.Series(
                _("Cost per occupied place-day"), [row.cost_per_occupied_place_day for row in rows]
            )
        ],
        value_text=_money_text,
        axis_text=_axis_money,
    )


def terms(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "finance/terms.html",
        {
            "rows": selectors.terms_overview(),
            "without_terms": programmes.programme_list().filter(pricing_terms__isnull=True),
            "can_edit": may_post(request, "finance:terms-edit"),
        },
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    """The programme's money: the user's programme unless another (or all) is asked."""
    programme_form = programmes.ProgrammeFilterForm(request)
    programme_id = programme_form.programme_id
    years = selectors.totals_by_year(agreement_id=programme_id)
    streams = selectors.totals_by_stream(agreement_id=programme_id)
    next_tranches = selectors.tranche_list(agreement_id=programme_id).filter(
        status__in=selectors.OPEN_STATUSES
    )[:8]
    return render(
        request,
        "finance/dashboard.html",
        {
            "programme_form": programme_form,
            "years": years,
            "chart": _year_chart(years) if years else None,
            "streams": streams,
            "everything": sum(streams.values(), start=Decimal("0.00")),
            "next_tranches": next_tranches,
            "today": timezone.localdate(),
        },
    )


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


# --- The schedule -----------------------------------------------------------------------------


def _schedule_filters(
    request: HttpRequest, programme_form: programmes.ProgrammeFilterForm | None = None
) -> dict[str, Any]:
    stream = request.GET.get("stream", "")
    status = request.GET.get("status", "")
    programme_form = programme_form or programmes.ProgrammeFilterForm(request)
    return {
        "agreement_id": programme_form.programme_id,
        "stream": stream if stream in Tranche.Stream.values else "",
        "status": status if status in Tranche.Status.values else "",
        "year": _year(request.GET.get("year", "")),
    }


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in table_export.FORMATS else "csv"


def schedule_export(request: HttpRequest) -> HttpResponse:
    """The schedule as filtered on its page, as CSV or XLSX (?format=)."""
    tranches = selectors.tranche_list(**_schedule_filters(request)).select_related("payment")
    return table_export.table_response(
        fmt=_export_format(request),
        stem=f"payment-schedule-{timezone.localdate().isoformat()}",
        headers=exports.SCHEDULE_HEADERS,
        rows=exports.schedule_rows(tranches),
    )


def schedule(
    request: HttpRequest,
    *,
    generate_form: GenerateForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    stream = request.GET.get("stream", "")
    chosen_status = request.GET.get("status", "")
    year = _year(request.GET.get("year", ""))
    programme_form = programmes.ProgrammeFilterForm(request)
    tranches = selectors.tranche_list(**_schedule_filters(request, programme_form))
    waiting_mine = request.GET.get("waiting") == "mine"
    if waiting_mine:
        # The approver's own queue (the home page's "waiting for my approval").
        tranches = tranches & selectors.tranches_awaiting_approval_by(request.user)
    return render(
        request,
        "finance/schedule.html",
        {
            "programme_form": programme_form,
            "tranches": tranches,
            "streams": Tranche.Stream.choices,
            "statuses": Tranche.Status.choices,
            "chosen": {"stream": stream, "status": chosen_status, "year": year or ""},
            "waiting_mine": waiting_mine,
            "export_query": request.GET.urlencode(),
            "generate_form": (
                (generate_form or GenerateForm())
                if may_post(request, "finance:schedule-generate")
                else None
            ),
            "error": error,
        },
        status=status,
    )


def schedule_generate(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return schedule(request)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return schedule(request, generate_form=form, error=_("Check the fields below."), status=400)
    try:
        result = services.schedule_generate(
            terms=form.cleaned_data["terms"],
            frequency=form.cleaned_data["frequency"],
            include_extension=form.cleaned_data["include_extension"],
            actor=acting_user(request),
        )
    except ApplicationError as error:
        # The page's banner says it; a refusal naming a field is said there too.
        show_refusal(form, error, above=False)
        return schedule(request, generate_form=form, error=error.message, status=error.http_status)
    if result.changed:
        message = _(
            "Schedule generated: %(created)d new, %(updated)d changed, %(deleted)d removed, "
            "%(unchanged)d unchanged; %(kept)d past planning left as they are."
        ) % vars(result)
    else:
        message = _("The schedule already matches the terms; nothing was changed.")
    messages.success(request, message)
    return redirect("finance:schedule")


# --- A tranche and its actions ----------------------------------------------------------------


@dataclass(frozen=True)
class ShownAction:
    action: TrancheMove
    form: forms.Form
    url: str


def approval_barred(request: HttpRequest, tranche: Tranche) -> str:
    """Why this user may not approve the invoiced tranche ("" when they may, or it is not
    waiting for approval): they prepared it, or already approved it in this round."""
    if tranche.status != Tranche.Status.INVOICED:
        return ""
    if tranche.prepared_by_id == request.user.pk:
        return str(_("You prepared this tranche, so a different person must approve it."))
    # tranche.approvals is prefetched by tranche_detail_queryset: no query.
    for approval in tranche.approvals.all():
        if (
            approval.round == tranche.approval_round
            and approval.approver_id == request.user.pk
            and approval.decision == TrancheApproval.Decision.APPROVE
        ):
            return str(
                _(
                    "You approved this tranche at level %(level)d; the next level needs a "
                    "different approver."
                )
                % {"level": approval.level}
            )
    return ""


def tranche_actions(
    request: HttpRequest, tranche: Tranche, bound: dict[str, forms.Form] | None = None
) -> list[ShownAction]:
    """The moves this user's role may take on the tranche in its present status."""
    bound = bound or {}
    shown = []
    barred = approval_barred(request, tranche)
    today = timezone.localdate()
    for move in TRANCHE_MOVES:
        if tranche.status not in move.starts_from:
            continue
        # The four-eyes rules: no Approve or Reject for its preparer or a past approver.
        if barred and move.four_eyes:
            continue
        if not may_post(request, move.route):
            continue
        form = bound.get(move.key) or move.form_class(
            initial=move.initial(tranche, today), prefix=move.key
        )
        shown.append(ShownAction(move, form, reverse(move.route, args=[tranche.pk])))
    return shown


@dataclass
class ConditionRow:
    """A condition on the tranche page with the forms this user may use on it now."""

    condition: TrancheCondition
    edit_form: ConditionForm | None = None
    evidence_form: ConditionEvidenceForm | None = None
    may_remove: bool = False
    may_sign_off: bool = False
    # The inspection finding the condition waits for (title, status, actions not done).
    finding: FindingSummary | None = None


def condition_rows(
    request: HttpRequest, tranche: Tranche, bound: forms.Form | None = None
) -> list[ConditionRow]:
    """Each condition with what the user may do to it: change or remove it and record its
    evidence (finance officers, while the tranche is not approved and the condition not met),
    and sign it off (a finance officer or approver other than whoever added it or recorded its
    evidence)."""
    open_tranche = tranche.status in services.CONDITIONS_OPEN
    user_pk = getattr(request.user, "pk", None)
    rows = []
    for condition in tranche.conditions.all():
        row = ConditionRow(condition, finding=finding_conditions.summary(condition))
        if open_tranche and not condition.is_met:
            mine = bound is not None and getattr(bound, "condition", None) == condition
            if may_post(request, "finance:condition-edit"):
                row.edit_form = (
                    bound
                    if mine and isinstance(bound, ConditionForm)
                    else ConditionForm(condition=condition)
                )
            # A finding's condition takes its evidence from the finding's actions.
            if may_post(request, "finance:condition-evidence") and row.finding is None:
                row.evidence_form = (
                    bound
                    if mine and isinstance(bound, ConditionEvidenceForm)
                    else ConditionEvidenceForm(condition=condition)
                )
            row.may_remove = may_post(request, "finance:condition-remove")
            row.may_sign_off = (
                (condition.has_evidence or bool(row.finding and row.finding.closed))
                and may_post(request, "finance:condition-sign-off")
                and user_pk not in (condition.met_by_id, condition.added_by_id)
            )
        rows.append(row)
    return rows


def _tranche_file() -> tuple[HistoryPart, ...]:
    """What belongs to a tranche's history besides the tranche row itself (program/audit reads
    the change tables): its conditions, the approvals and the payment, each summed up when
    added. Built per request so the names are in the reader's language."""
    return (
        HistoryPart("finance.TrancheCondition", "tranche_id", _("Release condition"), ("kind",)),
        HistoryPart(
            "finance.TrancheApproval", "tranche_id", _("Approval"), ("level", "decision", "comment")
        ),
        HistoryPart(
            "finance.Payment",
            "tranche_id",
            _("Payment"),
            ("paid_on", "bank_reference", "amount", "amount_dkk"),
        ),
    )


def _render_tranche(
    request: HttpRequest,
    pk: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    condition_form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    tranche = get_object_or_404(selectors.tranche_detail_queryset(), pk=pk)
    conditions = condition_rows(request, tranche, condition_form)
    failed = [*(bound or {}).values(), *([condition_form] if condition_form else [])]
    add_form = None
    if tranche.status in services.CONDITIONS_OPEN and may_post(request, "finance:condition-add"):
        add_form = (
            condition_form
            if isinstance(condition_form, ConditionForm) and condition_form.condition is None
            else ConditionForm()
        )
    return render(
        request,
        "finance/tranche_detail.html",
        {
            "tranche": tranche,
            "actions": tranche_actions(request, tranche, bound),
            "approval_barred": approval_barred(request, tranche)
            if may_post(request, "finance:tranche-approve")
            else "",
            "conditions": conditions,
            "condition_add_form": add_form,
            "finding_condition_form": views_findings.finding_form(
                request, tranche, may_post(request, "finance:condition-finding"), condition_form
            ),
            "error": error,
            "failed_forms": failed,
        },
        status=status,
    )


def tranche_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_tranche(request, pk)


def tranche_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The tranche page's History tab: its own request, so the page itself stays cheap."""
    tranche = get_object_or_404(Tranche, pk=pk)
    return history_tab(
        request,
        history_of(tranche, parts=_tranche_file()),
        record=str(tranche),
        back=reverse("finance:tranche-detail", args=[pk]),
    )


def tranche_move(move: TrancheMove) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page view of one move (finance/urls.py makes one per entry of TRANCHE_MOVES): a GET
    shows the tranche; a POST parses the move's form and asks its service."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return _render_tranche(request, pk)
        get_object_or_404(Tranche.objects.only("pk"), pk=pk)
        form = move.form_class(request.POST, prefix=move.key)
        if not form.is_valid():
            return _render_tranche(
                request,
                pk,
                bound={move.key: form},
                error=_("Check the fields marked below."),
                status=400,
            )
        data = form.cleaned_data
        try:
            tranche = move.perform(
                pk, data, actor=acting_user(request), expected_version=data["expected_version"]
            )
        except ApplicationError as error:  # ConflictError included; the service wrote nothing
            # The banner says it; a refusal naming a field is said at that field too.
            show_refusal(form, error, aliases=move.aliases, above=False)
            # The message says who changed the tranche, what they did and when.
            return _render_tranche(
                request,
                pk,
                bound={move.key: form},
                error=error.message,
                status=refusal_status(error),
            )
        messages.success(request, move.message(tranche))
        return redirect("finance:tranche-detail", pk=pk)

    view.__name__ = view.__qualname__ = f"tranche_{move.key}"
    return view


def _condition_refused(
    request: HttpRequest, tranche_id: int, form: forms.Form, error: ApplicationError
) -> HttpResponse:
    show_refusal(form, error, above=False)
    return _render_tranche(
        request, tranche_id, condition_form=form, error=error.message, status=error.http_status
    )


def _condition_invalid(request: HttpRequest, tranche_id: int, form: forms.Form) -> HttpResponse:
    return _render_tranche(
        request,
        tranche_id,
        condition_form=form,
        error=_("Check the fields marked below."),
        status=400,
    )


def _submit_condition_form(
    request: HttpRequest,
    tranche_id: int,
    form: forms.Form,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """The one flow of every condition form on the tranche page: an invalid or refused form is
    shown again there as typed; an accepted one says what was done and goes back to the tranche.
    `act` runs the service on the cleaned data and returns the success message."""
    if not form.is_valid():
        return _condition_invalid(request, tranche_id, form)
    try:
        message = act(form.cleaned_data)
    except ApplicationError as error:
        return _condition_refused(request, tranche_id, form, error)
    messages.success(request, message)
    return redirect("finance:tranche-detail", pk=tranche_id)


def condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_object_or_404(Tranche.objects.only("pk"), pk=pk)
    if request.method != "POST":
        return _render_tranche(request, tranche.pk)

    def add(data: dict[str, Any]) -> str:
        condition = services.condition_add(
            tranche=tranche.pk,
            kind=data["kind"],
            description=data["description"],
            actor=acting_user(request),
        )
        return _("Condition added: %(kind)s.") % {"kind": condition.get_kind_display()}

    return _submit_condition_form(request, tranche.pk, ConditionForm(request.POST), add)


def _condition(pk: int) -> TrancheCondition:
    return get_object_or_404(TrancheCondition.objects.select_related("tranche"), pk=pk)


def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    condition = _condition(pk)
    if request.method != "POST":
        return _render_tranche(request, condition.tranche_id)

    def edit(data: dict[str, Any]) -> str:
        changed = services.condition_edit(
            condition=condition.pk,
            kind=data["kind"],
            description=data["description"],
            actor=acting_user(request),
        )
        return _("Condition changed: %(kind)s.") % {"kind": changed.get_kind_display()}

    form = ConditionForm(request.POST, condition=condition)
    return _submit_condition_form(request, condition.tranche_id, form, edit)


def _condition_button(
    request: HttpRequest, pk: int, act: Callable[[TrancheCondition], object], done: str
) -> HttpResponse:
    """Removing and signing off are one-button forms: the service runs on the condition; a
    refusal shows the tranche page with its message, success says `done` (with %(kind)s)."""
    condition = _condition(pk)
    if request.method != "POST":
        return _render_tranche(request, condition.tranche_id)
    try:
        act(condition)
    except ApplicationError as error:
        return _render_tranche(
            request, condition.tranche_id, error=error.message, status=error.http_status
        )
    messages.success(request, done % {"kind": condition.get_kind_display()})
    return redirect("finance:tranche-detail", pk=condition.tranche_id)


def condition_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _condition_button(
        request,
        pk,
        lambda condition: services.condition_remove(
            condition=condition.pk, actor=acting_user(request)
        ),
        _("Condition removed: %(kind)s."),
    )


def condition_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    condition = _condition(pk)
    if request.method != "POST":
        return _render_tranche(request, condition.tranche_id)

    def record(data: dict[str, Any]) -> str:
        services.condition_record_evidence(
            condition=condition.pk,
            evidence=data["evidence"] or None,
            reference=data["reference"],
            note=data["note"],
            actor=acting_user(request),
        )
        return _("Evidence recorded for %(kind)s; a second person must now sign it off.") % {
            "kind": condition.get_kind_display()
        }

    form = ConditionEvidenceForm(request.POST, request.FILES, condition=condition)
    return _submit_condition_form(request, condition.tranche_id, form, record)


def condition_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    return _condition_button(
        request,
        pk,
        lambda condition: services.condition_sign_off(
            condition=condition.pk, actor=acting_user(request)
        ),
        _("%(kind)s is signed off and met."),
    )


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file as an attachment, named by tranche and condition: the uploaded name may
    carry a person's name, so it is never sent back."""
    condition = get_object_or_404(TrancheCondition, pk=pk)
    if not condition.evidence:
        raise Http404(_("No evidence is on file for this condition."))
    return stored_file_response(
        condition.evidence,
        name=f"tranche-{condition.tranche_id}-{condition.kind.replace('_', '-')}-evidence",
        content_type=services.evidence_content_type(condition.evidence.name or ""),
        missing=_("The evidence file is missing from storage."),
    )


# --- What an occupied place-day costs ---------------------------------------------------------


def _report(
    request: HttpRequest, programme_form: programmes.ProgrammeFilterForm | None = None
) -> tuple[ReportPeriodForm, selectors.CostReport | None, str]:
    form = ReportPeriodForm(request.GET)
    if not form.is_valid():
        return form, None, _("Give the days as YYYY-MM-DD.")
    today = timezone.localdate()
    start = form.cleaned_data["start"] or date(today.year, 1, 1)
    last = form.cleaned_data["to"] or date(start.year + 1, 12, 31)
    try:
        start, end = report_window(start, last)
    except ApplicationError as error:
        return form, None, error.message
    if programme_form is None:
        programme_form = programmes.ProgrammeFilterForm(request, allow_all=False)
    agreement = programme_form.chosen
    if agreement is None:
        return form, None, _("No agreement has been recorded yet.")
    return form, selectors.cost_report(agreement=agreement, start=start, end=end), ""


def cost_report(request: HttpRequest) -> HttpResponse:
    programme_form = programmes.ProgrammeFilterForm(request, allow_all=False)
    form, report, error = _report(request, programme_form)
    return render(
        request,
        "finance/cost_report.html",
        {
            "form": form,
            "programme_form": programme_form,
            "report": report,
            "total_rows": [report.total] if report else [],
            "year_chart": (
                _cost_chart(report.years, chart_id="chart-cost-by-year", title=_("By year"))
                if report
                else None
            ),
            "quarter_chart": (
                _cost_chart(
                    report.quarters, chart_id="chart-cost-by-quarter", title=_("By quarter")
                )
                if report
                else None
            ),
            "error": error,
            "failed_forms": [form] if error else [],
            "export_query": request.GET.urlencode(),
        },
        status=400 if error else 200,
    )


def report_export(request: HttpRequest) -> HttpResponse:
    _form, report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return table_export.table_response(
        fmt=_export_format(request),
        stem=f"cost-per-place-day-{report.start.isoformat()}-{report.last_day.isoformat()}",
        headers=exports.REPORT_HEADERS,
        rows=exports.report_rows(report),
    )
