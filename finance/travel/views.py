"""Pages of the travel-support stream: the budget report (with its CSV/XLSX export), the year's
budget, the grants, and a grant with its approvals and moves.

Finance roles see of a visit only its date, kind, facility and the visitors' relations: no name
of the inmate and nothing of the conviction or health.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.travel import exports, selectors, services
from finance.travel.forms import BudgetForm, DecisionForm, GrantForm, PayForm, ReportFilterForm
from finance.travel.models import TravelGrant
from program.core import exports as table_export
from program.core.acting import acting_user
from program.core.form_submit import submit
from program.core.policy import allows
from program.core.roles import user_roles

PAGE_SIZE = 50


def _permissions(request: HttpRequest) -> dict[str, bool]:
    roles = user_roles(request.user)
    return {
        "can_set_budget": allows("finance:travel-budget-set", roles, "POST"),
        "can_prepare": allows("finance:travel-grant-prepare", roles, "POST"),
        "can_decide": allows("finance:travel-grant-approve", roles, "POST"),
        "can_pay": allows("finance:travel-grant-pay", roles, "POST"),
    }


def travel_support(request: HttpRequest) -> HttpResponse:
    """Grants against the budget per programme and year: granted, approved, paid, left."""
    form = ReportFilterForm(request.GET or None)
    rows = selectors.budget_report(year=form.chosen_year())
    return render(
        request,
        "finance/travel/report.html",
        {"form": form, "rows": rows, "year": form.chosen_year(), **_permissions(request)},
    )


def travel_support_export(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    fmt = request.GET.get("format", "csv")
    return table_export.table_response(
        fmt=fmt if fmt in table_export.FORMATS else "csv",
        stem=f"travel-support-{timezone.localdate().isoformat()}",
        headers=exports.REPORT_HEADERS,
        rows=exports.report_rows(selectors.budget_report(year=form.chosen_year())),
    )


def travel_budget_set(request: HttpRequest) -> HttpResponse:
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    sent = submit(
        request, form, lambda data: services.travel_budget_set(actor=acting_user(request), **data)
    )
    if sent.acted:
        messages.success(request, _("The travel-support budget is saved."))
        return redirect("finance:travel-support")
    return render(
        request,
        "finance/travel/form.html",
        {"form": form, "title": _("Travel-support budget"), "submit": _("Save the budget")},
        status=sent.status,
    )


def travel_grant_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in TravelGrant.Status.values:
        status = ""
    paginator = Paginator(selectors.grant_list(status=status), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    grants = selectors.with_visits(list(page.object_list))
    return render(
        request,
        "finance/travel/grant_list.html",
        {
            "page": page,
            "grants": grants,
            "status": status,
            "statuses": TravelGrant.Status.choices,
            **_permissions(request),
        },
    )


def travel_grant_prepare(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: services.travel_grant_prepare(
            visit=data["visit"].pk,
            amount=data["amount"],
            covers=data["covers"],
            actor=acting_user(request),
        ),
    )
    if sent.done is not None:
        messages.success(request, _("The travel grant is prepared and waits for approval."))
        return redirect("finance:travel-grant-detail", sent.done.pk)
    return render(
        request,
        "finance/travel/form.html",
        {"form": form, "title": _("Prepare a travel grant"), "submit": _("Prepare the grant")},
        status=sent.status,
    )


def _detail(
    request: HttpRequest, pk: int, bound: dict[str, BaseForm] | None = None, status: int = 200
) -> HttpResponse:
    grant = get_object_or_404(selectors.grant_list(), pk=pk)
    selectors.with_visits([grant])
    forms = {
        "decision_form": DecisionForm(initial={"version": grant.version}),
        "pay_form": PayForm(initial={"version": grant.version, "paid_on": timezone.localdate()}),
        **(bound or {}),
    }
    return render(
        request,
        "finance/travel/grant_detail.html",
        {
            "grant": grant,
            "visit": grant.visit_seen,  # type: ignore[attr-defined]
            "relations": selectors.relations_text(grant.visit_seen)  # type: ignore[attr-defined]
            if grant.visit_seen  # type: ignore[attr-defined]
            else "",
            "approvals": selectors.approvals_of(grant),
            **forms,
            **_permissions(request),
        },
        status=status,
    )


def travel_grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _grant_move(
    form_class: type[BaseForm],
    form_key: str,
    act: Callable[[HttpRequest, int, dict[str, Any]], Any],
    done: Any,
) -> Callable[[HttpRequest, int], HttpResponse]:
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return _detail(request, pk)
        get_object_or_404(TravelGrant.objects.only("pk"), pk=pk)
        form = form_class(request.POST)
        sent = submit(request, form, lambda data: act(request, pk, data))
        if sent.acted:
            messages.success(request, str(done))
            return redirect("finance:travel-grant-detail", pk)
        return _detail(request, pk, {form_key: form}, status=sent.status)

    return view


def _decision(
    service: Callable[..., TravelGrant],
) -> Callable[[HttpRequest, int, dict[str, Any]], Any]:
    """Approving and rejecting read the same form (comment, version); only the service differs."""

    def act(request: HttpRequest, pk: int, data: dict[str, Any]) -> Any:
        return service(
            grant=pk,
            actor=acting_user(request),
            comment=data["comment"],
            expected_version=data["version"],
        )

    return act


_approve = _decision(services.travel_grant_approve)
_reject = _decision(services.travel_grant_reject)


def _pay(request: HttpRequest, pk: int, data: dict[str, Any]) -> Any:
    return services.travel_grant_pay(
        grant=pk,
        paid_on=data["paid_on"],
        payment_reference=data["payment_reference"],
        actor=acting_user(request),
        expected_version=data["version"],
    )


travel_grant_approve = _grant_move(
    DecisionForm, "decision_form", _approve, gettext_lazy("The approval is recorded.")
)
travel_grant_reject = _grant_move(
    DecisionForm, "decision_form", _reject, gettext_lazy("The travel grant is rejected.")
)
travel_grant_pay = _grant_move(PayForm, "pay_form", _pay, gettext_lazy("The payment is recorded."))
