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
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import exports, selectors, services
from finance.api.views import report_window
from finance.forms import (
    ApproveForm,
    ConditionMeetForm,
    DisputeForm,
    GenerateForm,
    InvoiceForm,
    PayForm,
    RejectForm,
    ReportPeriodForm,
    WithholdForm,
)
from finance.models import Tranche, TrancheCondition
from program.audit.selectors import HistoryPart, history_of
from program.audit.views import history_tab
from program.core import charts
from program.core.errors import ApplicationError, PreconditionFailedError
from program.core.policy import access_for
from program.core.roles import user_roles
from program.core.templatetags.humanize_money import money


def _money_text(value: charts.Number) -> str:
    return money(Decimal(str(value)), "EUR")


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
    )


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/terms.html", {"rows": selectors.terms_overview()})


def dashboard(request: HttpRequest) -> HttpResponse:
    years = selectors.totals_by_year()
    streams = selectors.totals_by_stream()
    return render(
        request,
        "finance/dashboard.html",
        {
            "years": years,
            "chart": _year_chart(years) if years else None,
            "streams": streams,
            "everything": sum(streams.values(), start=Decimal("0.00")),
            "next_tranches": selectors.tranches_next(),
            "today": timezone.localdate(),
        },
    )


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def may_post(request: HttpRequest, route: str) -> bool:
    """Whether the user's role may use this action route (the route policy's write roles)."""
    access = access_for(route)
    return access is not None and access.admits(
        user_roles(request.user), signed_in=True, method="POST"
    )


def _actor(request: HttpRequest) -> AbstractBaseUser:
    assert isinstance(request.user, AbstractBaseUser)  # noqa: S101 (the policy signed them in)
    return request.user


def _attach_field_errors(form: forms.Form, error: ApplicationError) -> None:
    for name in error.details:
        if name in form.fields and name not in form.errors:
            form.add_error(name, error.message)


# --- The schedule -----------------------------------------------------------------------------


def _schedule_filters(request: HttpRequest) -> dict[str, Any]:
    stream = request.GET.get("stream", "")
    status = request.GET.get("status", "")
    return {
        "stream": stream if stream in Tranche.Stream.values else "",
        "status": status if status in Tranche.Status.values else "",
        "year": _year(request.GET.get("year", "")),
    }


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in exports.FORMATS else "csv"


def schedule_export(request: HttpRequest) -> HttpResponse:
    """The schedule as filtered on its page, as CSV or XLSX (?format=)."""
    tranches = selectors.tranche_list(**_schedule_filters(request)).select_related("payment")
    return exports.table_response(
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
    tranches = selectors.tranche_list(**_schedule_filters(request))
    return render(
        request,
        "finance/schedule.html",
        {
            "tranches": tranches,
            "streams": Tranche.Stream.choices,
            "statuses": Tranche.Status.choices,
            "chosen": {"stream": stream, "status": chosen_status, "year": year or ""},
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
            actor=_actor(request),
        )
    except ApplicationError as error:
        _attach_field_errors(form, error)
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
class TrancheAction:
    key: str  # the form prefix and the service's move (services.MOVES_FROM)
    route: str
    form_class: type[forms.Form]
    title: Any
    submit: Any
    button: str  # DKFDS button class


TRANCHE_ACTIONS = [
    TrancheAction(
        "invoice",
        "finance:tranche-invoice",
        InvoiceForm,
        gettext_lazy("Record the invoice"),
        gettext_lazy("Record invoice"),
        "button-primary",
    ),
    TrancheAction(
        "approve",
        "finance:tranche-approve",
        ApproveForm,
        gettext_lazy("Approve"),
        gettext_lazy("Approve"),
        "button-primary",
    ),
    TrancheAction(
        "reject",
        "finance:tranche-reject",
        RejectForm,
        gettext_lazy("Reject"),
        gettext_lazy("Reject"),
        "button-secondary",
    ),
    TrancheAction(
        "pay",
        "finance:tranche-pay",
        PayForm,
        gettext_lazy("Record the payment"),
        gettext_lazy("Record payment"),
        "button-primary",
    ),
    TrancheAction(
        "dispute",
        "finance:tranche-dispute",
        DisputeForm,
        gettext_lazy("Dispute"),
        gettext_lazy("Dispute"),
        "button-secondary",
    ),
    TrancheAction(
        "withhold",
        "finance:tranche-withhold",
        WithholdForm,
        gettext_lazy("Withhold"),
        gettext_lazy("Withhold"),
        "button-secondary",
    ),
]
ACTIONS_BY_KEY = {action.key: action for action in TRANCHE_ACTIONS}


@dataclass(frozen=True)
class ShownAction:
    action: TrancheAction
    form: forms.Form
    url: str


def _initial(tranche: Tranche, key: str) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, Any] = {"expected_version": tranche.version}
    if key == "invoice":
        initial.update(amount=tranche.amount, invoiced_on=today)
    elif key == "pay":
        initial.update(amount=tranche.amount, paid_on=today)
    return initial


def tranche_actions(
    request: HttpRequest, tranche: Tranche, bound: dict[str, forms.Form] | None = None
) -> list[ShownAction]:
    """The actions this user's role may take on the tranche in its present status."""
    bound = bound or {}
    shown = []
    for action in TRANCHE_ACTIONS:
        if tranche.status not in services.MOVES_FROM[action.key]:
            continue
        if not may_post(request, action.route):
            continue
        form = bound.get(action.key) or action.form_class(
            initial=_initial(tranche, action.key), prefix=action.key
        )
        shown.append(ShownAction(action, form, reverse(action.route, args=[tranche.pk])))
    return shown


def condition_forms(
    request: HttpRequest, tranche: Tranche, bound: ConditionMeetForm | None = None
) -> dict[int, ConditionMeetForm]:
    """A form for each condition not yet met, if the user may record it and it can still change."""
    if tranche.status in (Tranche.Status.PAID, Tranche.Status.WITHHELD):
        return {}
    if not may_post(request, "finance:condition-meet"):
        return {}
    forms_by_pk = {}
    for condition in tranche.conditions.all():
        if condition.is_met:
            continue
        if bound is not None and bound.condition.pk == condition.pk:
            forms_by_pk[condition.pk] = bound
        else:
            forms_by_pk[condition.pk] = ConditionMeetForm(condition=condition)
    return forms_by_pk


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
    condition_form: ConditionMeetForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    tranche = get_object_or_404(selectors.tranche_detail_queryset(), pk=pk)
    meet_forms = condition_forms(request, tranche, condition_form)
    conditions = [(c, meet_forms.get(c.pk)) for c in tranche.conditions.all()]
    failed = [*(bound or {}).values(), *([condition_form] if condition_form else [])]
    return render(
        request,
        "finance/tranche_detail.html",
        {
            "tranche": tranche,
            "actions": tranche_actions(request, tranche, bound),
            "conditions": conditions,
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


def _perform(key: str, pk: int, data: dict[str, Any], actor: AbstractBaseUser) -> str:
    version = data["expected_version"]
    if key == "invoice":
        services.tranche_invoice(
            tranche=pk,
            amount=data["amount"],
            invoice_reference=data["invoice_reference"],
            invoiced_on=data["invoiced_on"],
            actor=actor,
            expected_version=version,
        )
        return _("Invoice recorded; the tranche now needs approval by someone else.")
    if key == "approve":
        tranche = services.tranche_approve(
            tranche=pk, actor=actor, comment=data["comment"], expected_version=version
        )
        if tranche.status == Tranche.Status.APPROVED:
            return _("Approved; the tranche can now be paid.")
        return _("Your approval is recorded; a second, different approver must approve it too.")
    if key == "reject":
        services.tranche_reject(
            tranche=pk, actor=actor, comment=data["comment"], expected_version=version
        )
        return _("Rejected; the tranche is due again and needs a corrected invoice.")
    if key == "pay":
        services.tranche_pay(
            tranche=pk,
            paid_on=data["paid_on"],
            bank_reference=data["bank_reference"],
            amount=data["amount"],
            eur_dkk_rate=data["eur_dkk_rate"],
            actor=actor,
            expected_version=version,
        )
        return _("Payment recorded; the tranche is paid.")
    if key == "dispute":
        services.tranche_dispute(
            tranche=pk, reason=data["reason"], actor=actor, expected_version=version
        )
        return _("The tranche is disputed; a corrected invoice resumes it.")
    services.tranche_withhold(
        tranche=pk, reason=data["reason"], actor=actor, expected_version=version
    )
    return _("The tranche is withheld.")


def _tranche_action(key: str) -> Callable[[HttpRequest, int], HttpResponse]:
    action = ACTIONS_BY_KEY[key]

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return _render_tranche(request, pk)
        get_object_or_404(Tranche.objects.only("pk"), pk=pk)
        form = action.form_class(request.POST, prefix=key)
        if not form.is_valid():
            return _render_tranche(
                request,
                pk,
                bound={key: form},
                error=_("Check the fields marked below."),
                status=400,
            )
        try:
            message = _perform(key, pk, form.cleaned_data, _actor(request))
        except ApplicationError as error:  # ConflictError included; the service wrote nothing
            _attach_field_errors(form, error)
            # A page sends no If-Match, so a stale form is a plain conflict (409), not a 412; the
            # message says who changed the tranche, what they did and when.
            status = 409 if isinstance(error, PreconditionFailedError) else error.http_status
            return _render_tranche(
                request, pk, bound={key: form}, error=error.message, status=status
            )
        messages.success(request, message)
        return redirect("finance:tranche-detail", pk=pk)

    view.__name__ = f"tranche_{key}"
    return view


tranche_invoice = _tranche_action("invoice")
tranche_approve = _tranche_action("approve")
tranche_reject = _tranche_action("reject")
tranche_pay = _tranche_action("pay")
tranche_dispute = _tranche_action("dispute")
tranche_withhold = _tranche_action("withhold")


def condition_meet(request: HttpRequest, pk: int) -> HttpResponse:
    condition = get_object_or_404(TrancheCondition.objects.select_related("tranche"), pk=pk)
    if request.method != "POST":
        return _render_tranche(request, condition.tranche_id)
    form = ConditionMeetForm(request.POST, request.FILES, condition=condition)
    if not form.is_valid():
        return _render_tranche(
            request,
            condition.tranche_id,
            condition_form=form,
            error=_("Check the fields marked below."),
            status=400,
        )
    try:
        services.condition_meet(
            condition=condition.pk,
            evidence=form.cleaned_data["evidence"],
            signed_off_by=form.cleaned_data["signed_off_by"],
            note=form.cleaned_data["note"],
            actor=_actor(request),
        )
    except ApplicationError as error:
        _attach_field_errors(form, error)
        return _render_tranche(
            request,
            condition.tranche_id,
            condition_form=form,
            error=error.message,
            status=error.http_status,
        )
    messages.success(
        request,
        _("%(kind)s is recorded as met.") % {"kind": condition.get_kind_display()},
    )
    return redirect("finance:tranche-detail", pk=condition.tranche_id)


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file as an attachment, named by tranche and condition: the uploaded name may
    carry a person's name, so it is never sent back."""
    condition = get_object_or_404(TrancheCondition, pk=pk)
    if not condition.evidence:
        raise Http404(_("No evidence is on file for this condition."))
    suffix = PurePosixPath(condition.evidence.name or "").suffix.lower()
    if suffix not in {f".{ext}" for ext in services.EVIDENCE_SIGNATURES}:
        suffix = ""
    try:
        handle = condition.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The evidence file is missing from storage.")) from missing
    name = f"tranche-{condition.tranche_id}-{condition.kind.replace('_', '-')}-evidence{suffix}"
    return FileResponse(handle, as_attachment=True, filename=name)


# --- What an occupied place-day costs ---------------------------------------------------------


def _report(request: HttpRequest) -> tuple[ReportPeriodForm, selectors.CostReport | None, str]:
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
    agreement = selectors.report_agreement()
    if agreement is None:
        return form, None, _("No agreement has been recorded yet.")
    return form, selectors.cost_report(agreement=agreement, start=start, end=end), ""


def cost_report(request: HttpRequest) -> HttpResponse:
    form, report, error = _report(request)
    return render(
        request,
        "finance/cost_report.html",
        {
            "form": form,
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
            "days_per_inmate_month": selectors.DAYS_PER_INMATE_MONTH,
            "export_query": request.GET.urlencode(),
        },
        status=400 if error else 200,
    )


def report_export(request: HttpRequest) -> HttpResponse:
    _form, report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return exports.table_response(
        fmt=_export_format(request),
        stem=f"cost-per-place-day-{report.start.isoformat()}-{report.last_day.isoformat()}",
        headers=exports.REPORT_HEADERS,
        rows=exports.report_rows(report),
    )
