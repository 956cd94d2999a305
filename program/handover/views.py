"""The handover pages: the list of people about to travel (or arriving), one person's record,
and its steps. Thin: the selectors scope what the reader may open, the services decide."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.listing import log_listed
from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record
from program.core.acting import acting_user
from program.core.capabilities import holds
from program.core.errors import ApplicationError
from program.core.form_submit import submit
from program.core.roles import user_roles
from program.handover import selectors, services, worklist
from program.handover.forms import AlertsForm, CorrectionForm, EscortForm, HealthForm, StepForm
from program.handover.minimisation import sees_health_details
from program.handover.models import ALERTS, Handover, Level
from transfers.models import TransferCase

PAGE_SIZE = 50
# Why a handover is read: the record exists to be read by whoever handles the person.
PURPOSE = "handover at transfer"


def _visible(request: HttpRequest, pk: int) -> Handover:
    return get_object_or_404(selectors.visible_to(request.user), pk=pk)


def log_handover_read(request: HttpRequest, handover: Handover) -> None:
    """A handover is a person's record: every read is in the access log (the person's id)."""
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="inmate",
        subject_id=handover.case.inmate_id,
        purpose=PURPOSE,
        criterion={"handover": handover.pk},
    )


def handover_list(request: HttpRequest) -> HttpResponse:
    """Everyone booked on a transport out, or on the way, with the state of their handover; for
    the host facility's staff, the people handed over to their facility."""
    rows = worklist.rows_for(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    log_listed(request, shown, ["case.inmate_id"], criterion={"list": "handovers"})
    return render(request, "handover/list.html", {"page": page, "rows": shown})


def handover_for_case(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The record of the case's seat on its transport: opened when it exists, else started
    (POST, by a caseworker or health staff)."""
    case = get_object_or_404(TransferCase.objects.select_related("inmate"), pk=case_pk)
    seat = selectors.live_seat(case)
    current = selectors.current_for(case.pk, seat.batch_id) if seat is not None else None
    if current is not None and selectors.visible_to(request.user).filter(pk=current.pk).exists():
        return redirect("handover:detail", pk=current.pk)
    roles = user_roles(request.user)
    can_start = holds(roles, "handover.prepare")
    if not can_start:
        # Nothing handed over to this reader: say so without naming the person.
        return render(request, "handover/start.html", {"can_start": False})
    if request.method == "POST":
        try:
            started = services.handover_start(case=case, actor=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect("handover:detail", pk=started.pk)
    return render(
        request,
        "handover/start.html",
        {"case": case, "seat": seat, "can_start": True, "links_case": holds(roles, "case.read")},
    )


def _alert_rows(handover: Handover) -> list[dict[str, Any]]:
    rows = []
    for kind in ALERTS:
        value = getattr(handover, kind.field)
        rows.append(
            {
                "kind": kind,
                "raised": kind.raised(handover),
                "value": Level(value).label if kind.graded else (_("Yes") if value else _("No")),
                "todo": getattr(handover, kind.todo_field),
            }
        )
    return rows


def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _visible(request, pk)
    log_handover_read(request, handover)
    roles = user_roles(request.user)
    can_edit_alerts = holds(roles, "handover.alerts.edit")
    open_for_change = handover.is_current and not handover.is_locked
    context = {
        "handover": handover,
        "alerts": _alert_rows(handover),
        "sees_health": sees_health_details(request.user),
        "editions": list(selectors.editions(handover, request.user)),
        "missing": services.missing_for_completion(handover) if open_for_change else [],
        "can_edit": can_edit_alerts and open_for_change,
        "can_edit_health": holds(roles, "handover.health.edit") and open_for_change,
        "can_complete": holds(roles, "handover.complete")
        and open_for_change
        and handover.completed_at is None,
        "can_escort": holds(roles, "handover.escort.record")
        and handover.is_current
        and handover.completed_at is not None
        and handover.escort_acknowledged_at is None,
        "can_arrive": holds(roles, "handover.arrival.acknowledge")
        and handover.is_current
        and handover.escort_acknowledged_at is not None
        and handover.arrival_acknowledged_at is None
        and handover.case.state in services.DEPARTED_STATES,
        "can_correct": holds(roles, "handover.prepare")
        and handover.is_current
        and handover.is_locked,
        "step_form": StepForm(initial={"version": handover.version}),
        "escort_form": EscortForm(initial={"version": handover.version}),
        "correction_form": CorrectionForm(),
        # Host staff never see the case file: no link to it.
        "links_case": holds(roles, "case.read"),
    }
    return render(request, "handover/detail.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect("handover:detail", pk=pk)


def handover_edit(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _visible(request, pk)
    log_handover_read(request, handover)
    form = AlertsForm.for_handover(handover, request.POST if request.method == "POST" else None)
    sent = submit(
        request,
        form,
        lambda data: services.handover_update(
            handover=handover,
            actor=acting_user(request),
            values=form.values(),
            expected_version=data["version"],
        ),
    )
    if sent.acted:
        messages.success(request, _("The handover is saved."))
        return _back(pk)
    context = {"handover": handover, "form": form}
    return render(request, "handover/edit.html", context, status=sent.status)


def handover_health(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _visible(request, pk)
    log_handover_read(request, handover)
    form = HealthForm(
        request.POST if request.method == "POST" else None,
        initial={"health_details": handover.health_details, "version": handover.version},
    )
    sent = submit(
        request,
        form,
        lambda data: services.handover_update(
            handover=handover,
            actor=acting_user(request),
            values={"health_details": data["health_details"]},
            expected_version=data["version"],
        ),
    )
    if sent.acted:
        messages.success(request, _("The health part is saved."))
        return _back(pk)
    context = {"handover": handover, "form": form}
    return render(request, "handover/health.html", context, status=sent.status)


def _step(
    request: HttpRequest,
    pk: int,
    form_class: type[StepForm | EscortForm],
    act: Callable[[Handover, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One step of a handover from its page: the form checked, the service run, and back to the
    handover with the step's message or the reason it was refused."""
    handover = _visible(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        return _back(pk)
    try:
        act(handover, form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(pk)
    messages.success(request, done)
    return _back(pk)


def _versioned(
    request: HttpRequest, service: Callable[..., object]
) -> Callable[[Handover, dict[str, Any]], object]:
    """A step whose service needs only the handover, the acting user and the version read."""
    return lambda handover, data: service(
        handover=handover, actor=acting_user(request), expected_version=data["version"]
    )


@require_POST
def handover_complete(request: HttpRequest, pk: int) -> HttpResponse:
    act = _versioned(request, services.handover_complete)
    return _step(request, pk, StepForm, act, _("The handover is complete."))


@require_POST
def handover_escort(request: HttpRequest, pk: int) -> HttpResponse:
    def act(handover: Handover, data: dict[str, Any]) -> None:
        services.handover_acknowledge_escort(
            handover=handover,
            actor=acting_user(request),
            escort_officer=data["escort_officer"],
            expected_version=data["version"],
        )

    return _step(request, pk, EscortForm, act, _("The escort's acknowledgment is recorded."))


@require_POST
def handover_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    act = _versioned(request, services.handover_acknowledge_arrival)
    return _step(request, pk, StepForm, act, _("The handover is acknowledged on arrival."))


@require_POST
def handover_correct(request: HttpRequest, pk: int) -> HttpResponse:
    handover = _visible(request, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the handover is corrected."))
        return _back(pk)
    try:
        new = services.handover_correct(
            handover=handover, actor=acting_user(request), reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(pk)
    messages.success(
        request, _("A new edition is made: change it, complete it and have it acknowledged.")
    )
    return _back(new.pk)
