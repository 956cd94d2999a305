"""Transport pages and the eligibility rules page."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record_many
from program.cells import programmes
from program.core.acting import acting_user
from program.core.capabilities import can, holds
from program.core.errors import ApplicationError
from program.core.form_submit import submit
from program.core.policy import allows
from program.core.roles import user_roles
from program.inmates.models import Inmate
from transfers import eligibility, seat_annotations, selectors, services
from transfers.forms import (
    BatchForm,
    ParameterForm,
)
from transfers.models import ReasonCode, TransferCase, TransportBatch
from transfers.rule_texts import RuleTexts

PAGE_SIZE = 50
# How the access log names a transfer case (as the notifications do).
CASE_SUBJECT = "transfer_case"


def batch_list(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None, user=request.user)
    programme_form = programmes.ProgrammeFilterForm(request)
    sent = submit(
        request, form, lambda data: services.batch_create(actor=acting_user(request), **data)
    )
    if sent.done is not None:
        return redirect("transfers:batch-detail", pk=sent.done.pk)
    roles = user_roles(request.user)
    batches = TransportBatch.objects.select_related("agreement").order_by("-departs_on", "-id")
    if programme_form.programme_id is not None:
        batches = batches.filter(agreement_id=programme_form.programme_id)
    return render(
        request,
        "transfers/batch_list.html",
        {
            "form": form,
            "programme_form": programme_form,
            "page": Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_plan": holds(roles, "transport.plan"),
        },
        status=sent.status,
    )


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(TransportBatch, pk=pk)
    # One query: the seats with people and places, and what the apps above transfers read
    # with each seat (the handover in force: transfers/seat_annotations.py).
    manifest = list(
        seat_annotations.annotate(
            batch.manifest.select_related("case__inmate", "placement__place__cell")
        ).order_by("added_at")
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
            "can_depart": can(request.user, "transport.depart")
            and any(entry.case.state == TransferCase.State.SCHEDULED for entry in manifest),
            "can_arrive": can(request.user, "transport.arrive")
            and any(entry.case.state == TransferCase.State.IN_TRANSIT for entry in manifest),
            "return_reasons": ReasonCode.objects.filter(
                applies_to=ReasonCode.AppliesTo.RETURN, active=True
            ),
            "today": timezone.localdate(),
        },
    )


def _value_words() -> dict[str, dict[str, Any]]:
    # The parameters stored as codes, by the words a reader knows them by.
    return {
        "days_left_counted_to": {
            "full_term": _("the expected release date"),
            "two_thirds": _("the parole date (two thirds)"),
        },
        "sexes_admitted": {"M": _("men"), "F": _("women"), "X": _("other sex (X)")},
        "max_risk_level": dict(Inmate.SecurityLevel.choices),
    }


def _value_text(value: Any, name: str = "") -> str:
    """A setting's value as a reader says it: yes or no, a list with commas, a dash for none,
    a coded value by its name."""
    words = _value_words().get(name, {})
    if isinstance(value, list | tuple):
        return ", ".join(str(words.get(item, item)) for item in value)
    if isinstance(value, str) and value in words:
        return str(words[value])
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "—" if value is None else str(value)


def rules(request: HttpRequest) -> HttpResponse:
    """The rules and the parameters in force for one programme (the user's unless asked), or
    with `all` the values for every programme without its own."""
    programme_form = programmes.ProgrammeFilterForm(request)
    programme_id = programme_form.programme_id
    params = eligibility.params_load(programme_id)
    history = eligibility.params_history(programme_id)
    for changes in history.values():
        for change in changes:
            setattr(change, "value_text", _value_text(change.value, change.name))  # noqa: B010
    texts = RuleTexts()
    rows = [
        {
            "name": name,
            "label": texts.parameter_label(name),
            "help": texts.parameter_help(name),
            "value": _value_text(getattr(params, name), name),
            "history": history.get(name, []),
        }
        for name in eligibility.PARAMETERS
    ]
    rule_rows = [
        {
            "id": rule.id,
            "text": texts.rule(rule),
            "kind": eligibility.KIND_LABELS[rule.kind],
            "source": texts.source(rule),
            "version": rule.version,
        }
        for rule in eligibility.RULES
    ]
    return render(
        request,
        "transfers/rules.html",
        {
            "rules": rule_rows,
            "rule_set_version": params.rule_set_version,
            "parameters": rows,
            "programme_form": programme_form,
            "programme": programme_form.chosen,
            "programme_query": f"?programme={programme_id or programmes.ALL}",
            "can_edit": allows("transfers:rule-parameter-edit", user_roles(request.user)),
            "almost": selectors.almost_eligible()[:50],
        },
    )


def rule_parameter_edit(request: HttpRequest, name: str) -> HttpResponse:
    """A new value of a parameter for the programme in `?programme=` (`all`: for every
    programme without its own value)."""
    spec = eligibility.PARAMETERS.get(name)
    if spec is None:
        raise Http404
    raw = request.GET.get("programme") or programmes.ALL
    programme = None
    if raw != programmes.ALL:
        programme = programmes.programme_list().filter(pk=int(raw) if raw.isdigit() else 0).first()
        if programme is None:
            raise Http404(_("There is no such programme."))
    form = ParameterForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: services.rule_parameter_set(
            name=name,
            raw_value=data["value"],
            reason=data["reason"],
            actor=acting_user(request),
            agreement=programme,
        ),
        aliases={"raw_value": "value", "name": "value"},
    )
    if sent.acted:
        label = RuleTexts().parameter_label(name)
        messages.success(request, _("%(label)s changed.") % {"label": label})
        return redirect(
            reverse("transfers:rules") + f"?programme={programme.pk if programme else raw}"
        )
    current = getattr(eligibility.params_load(programme), name)
    texts = RuleTexts()
    return render(
        request,
        "transfers/parameter_form.html",
        {
            "form": form,
            "name": name,
            "label": texts.parameter_label(name),
            "help": texts.parameter_help(name),
            "current": _value_text(current),
            "programme": programme,
        },
        status=sent.status,
    )


def _posted_date(request: HttpRequest) -> date | None:
    raw = request.POST.get("on", "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _posted_ids(request: HttpRequest, name: str) -> list[int]:
    return [
        int(value) for value in request.POST.getlist(name) if value.isascii() and value.isdigit()
    ]


@require_POST
def batch_depart(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone booked leaves at once; those ticked did not travel and keep their seat."""
    batch = get_object_or_404(TransportBatch, pk=pk)
    try:
        result = services.batch_depart(
            batch=batch,
            actor=acting_user(request),
            on=_posted_date(request),
            did_not_travel=_posted_ids(request, "did_not_travel"),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Departure recorded: %(moved)s in transit, %(skipped)s did not travel.")
            % {"moved": len(result.moved), "skipped": len(result.skipped)},
        )
    return redirect("transfers:batch-detail", pk=pk)


@require_POST
def batch_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone arriving is admitted to their reserved place at once; those refused at the gate
    go back with the return reason chosen for them."""
    batch = get_object_or_404(TransportBatch, pk=pk)
    refused = {
        case_id: request.POST.get(f"reason_{case_id}", "") or "gate_refusal"
        for case_id in _posted_ids(request, "refused")
    }
    try:
        result = services.batch_arrive(
            batch=batch,
            actor=acting_user(request),
            on=_posted_date(request),
            refused_at_gate=refused,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Arrival recorded: %(moved)s admitted and serving, %(refused)s refused at the gate.")
            % {"moved": len(result.moved), "refused": len(result.skipped)},
        )
    if request.POST.get("next") == "arrivals":
        return redirect("transfers:expected-arrivals")
    return redirect("transfers:batch-detail", pk=pk)


def expected_arrivals(request: HttpRequest) -> HttpResponse:
    """Who is on the way to the host facility, by transport and day, with their reserved place:
    the occupancy administrator admits each arriving group in one action."""
    programme_form = programmes.ProgrammeFilterForm(request)
    groups = selectors.expected_arrivals(agreement_id=programme_form.programme_id)
    access_log_record_many(
        request=request,
        action=AccessLogEntry.Action.LIST,
        subject_type="inmate",
        subject_ids=[entry.case.inmate_id for _batch, entries in groups for entry in entries],
        purpose="expected arrivals",
        criterion={"list": "expected_arrivals"},
    )
    return render(
        request,
        "transfers/expected_arrivals.html",
        {
            "programme_form": programme_form,
            "groups": groups,
            "can_arrive": can(request.user, "transport.arrive"),
            "return_reasons": ReasonCode.objects.filter(
                applies_to=ReasonCode.AppliesTo.RETURN, active=True
            ),
            "today": timezone.localdate(),
        },
    )
