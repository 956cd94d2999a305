"""The unit page: each place of a unit as a tile, and the occupancy actions done in place.

Every action is a small form. With htmx the form is swapped into the page's dialog area and, when
the service accepts it, the grid is re-rendered in place with a message; without JavaScript the
same URLs serve a full page and redirect back to the unit (progressive enhancement). A refusal
comes from the service: the form is shown again with its message, and nothing has been written.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from program.audit.listing import log_listed
from program.cells import selectors, services, stays, unit_view
from program.cells.forms import (
    AdmitForm,
    CancelReservationForm,
    MoveForm,
    OutageEndForm,
    OutageStartForm,
    ReleaseForm,
    ReserveForm,
)
from program.cells.models import Cell, Outage, Placement, Unit
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.core.form_errors import show_refusal
from program.core.policy import allows
from program.core.roles import user_roles

GRID_ID = "unit-grid"
DIALOG_ID = "unit-dialog"

# Short names the templates use, and the route each one needs.
ACTION_ROUTES = {
    "admit": "cells:place-admit",
    "reserve": "cells:place-reserve",
    "move": "cells:placement-move",
    "release": "cells:placement-release",
    "cancel": "cells:reservation-cancel",
    "outage_start": "cells:outage-start",
    "outage_end": "cells:outage-end",
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass
class _Action:
    unit: Unit
    title: str
    subject: str  # what the action concerns, in words ("Place A-101-1")
    submit: str
    url: str
    form: forms.Form
    facts: list[tuple[str, str]] = field(default_factory=list)


def _view_date(request: HttpRequest) -> tuple[date, str]:
    """The day the page shows (?date=YYYY-MM-DD), today when absent; a message if unreadable."""
    raw = request.GET.get("date", "").strip()
    if raw:
        try:
            return date.fromisoformat(raw), ""
        except ValueError:
            return timezone.localdate(), _(
                "“%(raw)s” is not a date (YYYY-MM-DD); showing today."
            ) % {"raw": raw}
    return timezone.localdate(), ""


def _allowed(request: HttpRequest) -> dict[str, bool]:
    roles = user_roles(request.user)
    return {short: allows(name, roles) for short, name in ACTION_ROUTES.items()}


def _unit_url(unit: Unit, on: date) -> str:
    return f"{reverse('cells:unit-detail', args=[unit.pk])}?{urlencode({'date': on.isoformat()})}"


def _action_url(name: str, pk: int, on: date) -> str:
    # The action keeps the day the page shows, to re-render or redirect back to the same view.
    return f"{reverse(name, args=[pk])}?{urlencode({'date': on.isoformat()})}"


def _grid_context(request: HttpRequest, unit_id: int, on: date) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "grid": unit_view.unit_grid(
            unit_id=unit_id, on=on, show=request.GET.get("show", ""), today=today
        ),
        "today": today,
        "can": _allowed(request),
        "grid_id": GRID_ID,
        "dialog_id": DIALOG_ID,
    }


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    on, date_error = _view_date(request)
    context = {
        **_grid_context(request, pk, on),
        "date_error": date_error,
        "today": timezone.localdate(),
        # Both people of each broken non-association hold a place on the day shown (so the
        # tiles below list them, and log_listed logs them).
        "breaches": selectors.non_association_breaches(on=on, unit_id=pk),
        "breach_links": allows("inmates:detail", user_roles(request.user)),
    }
    # The tiles show who holds each place (initials, release date): a list of people.
    tiles = [tile for row in context["grid"].shown_rows() for tile in row.tiles]
    log_listed(
        request, tiles, ("placement.inmate_id",), criterion={"unit": pk, "date": on.isoformat()}
    )
    return render(request, "cells/units/unit_detail.html", context)


def _show_form(
    request: HtmxHttpRequest,
    action: _Action,
    on: date,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "action": action,
        "on": on,
        "error": error,
        "unit_url": _unit_url(action.unit, on),
        "grid_id": GRID_ID,
        "dialog_id": DIALOG_ID,
        "as_partial": bool(request.htmx),
    }
    if request.htmx:
        # htmx swaps only 2xx answers, so a refusal is a 200 that replaces the form, not the grid.
        response = render(request, "cells/units/_action_form.html", context)
        if request.method == "POST":
            response = reswap(retarget(response, f"#{DIALOG_ID}"), "innerHTML")
        return response
    return render(request, "cells/units/action_page.html", context, status=status)


def _done(request: HtmxHttpRequest, unit: Unit, on: date, message: str) -> HttpResponse:
    if request.htmx:
        context = {**_grid_context(request, unit.pk, on), "message": message}
        return render(request, "cells/units/_grid_after_action.html", context)
    messages.success(request, message)
    return redirect(_unit_url(unit, on))


def _handle(
    request: HtmxHttpRequest,
    action: _Action,
    on: date,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    if request.method != "POST":
        return _show_form(request, action, on)
    if not action.form.is_valid():
        return _show_form(request, action, on, status=400)
    try:
        message = perform(action.form.cleaned_data)
    except ApplicationError as error:  # ConflictError included; the service wrote nothing
        show_refusal(action.form, error, above=False)
        return _show_form(request, action, on, error=error.message, status=error.http_status)
    return _done(request, action.unit, on, message)


def _bound(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def place_admit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(unit_view.place_queryset(), pk=pk)
    on, _error = _view_date(request)
    label = unit_view.place_label(place)
    initial: dict[str, Any] = {"on": on}
    facts = []
    reservation = unit_view.reservation_ahead(place=place, on=on)
    if reservation is not None:
        initial["inmate"] = reservation.inmate.case_number
        facts.append(
            (
                _("Reserved for"),
                _("%(initials)s, arriving %(date)s")
                % {
                    "initials": reservation.inmate.initials,
                    "date": reservation.period.lower.isoformat(),
                },
            )
        )
    action = _Action(
        unit=place.cell.unit,
        title=_("Admit to place %(place)s") % {"place": label},
        subject=_("Place %(place)s") % {"place": label},
        submit=_("Admit"),
        url=_action_url("cells:place-admit", place.pk, on),
        form=AdmitForm(_bound(request), initial=initial),
        facts=facts,
    )

    def perform(data: dict[str, Any]) -> str:
        placement = stays.stay_admit(
            inmate=data["inmate"],
            place=place,
            on=data["on"],
            reason=data["reason"],
            expected_release_on=data["expected_release_on"],
            actor=acting_user(request),
        )
        return _("%(initials)s admitted to place %(place)s from %(date)s.") % {
            "initials": placement.inmate.initials,
            "place": label,
            "date": data["on"].isoformat(),
        }

    return _handle(request, action, on, perform)


def place_reserve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(unit_view.place_queryset(), pk=pk)
    on, _error = _view_date(request)
    label = unit_view.place_label(place)
    action = _Action(
        unit=place.cell.unit,
        title=_("Reserve place %(place)s") % {"place": label},
        subject=_("Place %(place)s") % {"place": label},
        submit=_("Reserve"),
        url=_action_url("cells:place-reserve", place.pk, on),
        form=ReserveForm(_bound(request), initial={"arrival_on": on}),
    )

    def perform(data: dict[str, Any]) -> str:
        reservation = stays.stay_reserve(
            inmate=data["inmate"],
            place=place,
            arrival_on=data["arrival_on"],
            reason=data["reason"],
            actor=acting_user(request),
        )
        return _("Place %(place)s reserved for %(initials)s from %(date)s.") % {
            "place": label,
            "initials": reservation.inmate.initials,
            "date": data["arrival_on"].isoformat(),
        }

    return _handle(request, action, on, perform)


def _placement(pk: int) -> Placement:
    return get_object_or_404(
        Placement.objects.select_related("inmate", "place__cell__unit__facility"), pk=pk
    )


def _placement_facts(placement: Placement) -> list[tuple[str, str]]:
    return [
        (_("Inmate"), placement.inmate.initials),
        (
            _("Since") if placement.kind == Placement.Kind.PLACEMENT else _("Arriving"),
            placement.period.lower.isoformat(),
        ),
    ]


def placement_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    placement = _placement(pk)
    on, _error = _view_date(request)
    facility = placement.place.cell.unit.facility
    label = unit_view.place_label(placement.place)
    action = _Action(
        unit=placement.place.cell.unit,
        title=_("Move from place %(place)s") % {"place": label},
        subject=_("Place %(place)s") % {"place": label},
        submit=_("Move"),
        url=_action_url("cells:placement-move", placement.pk, on),
        form=MoveForm(
            _bound(request),
            initial={"on": on},
            places=unit_view.place_queryset().filter(cell__unit__facility=facility),
            offered=unit_view.free_places(facility=facility, on=on),
        ),
        facts=_placement_facts(placement),
    )

    def perform(data: dict[str, Any]) -> str:
        moved = services.placement_move(
            placement=placement,
            to_place=data["to_place"],
            on=data["on"],
            reason=data["reason"],
            actor=acting_user(request),
        )
        return _("%(initials)s moved from %(from)s to %(to)s on %(date)s.") % {
            "initials": placement.inmate.initials,
            "from": label,
            "to": unit_view.place_label(data["to_place"]),
            "date": moved.period.lower.isoformat(),
        }

    return _handle(request, action, on, perform)


def placement_release(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    placement = _placement(pk)
    on, _error = _view_date(request)
    label = unit_view.place_label(placement.place)
    action = _Action(
        unit=placement.place.cell.unit,
        title=_("Release from place %(place)s") % {"place": label},
        subject=_("Place %(place)s") % {"place": label},
        submit=_("Release"),
        url=_action_url("cells:placement-release", placement.pk, on),
        form=ReleaseForm(_bound(request), initial={"on": on}),
        facts=_placement_facts(placement),
    )

    def perform(data: dict[str, Any]) -> str:
        stays.stay_release(
            placement=placement,
            on=data["on"],
            end_reason=data["end_reason"],
            reason=data["note"],
            actor=acting_user(request),
        )
        return _("%(initials)s leaves place %(place)s on %(date)s.") % {
            "initials": placement.inmate.initials,
            "place": label,
            "date": data["on"].isoformat(),
        }

    return _handle(request, action, on, perform)


def reservation_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    reservation = _placement(pk)
    on, _error = _view_date(request)
    label = unit_view.place_label(reservation.place)
    action = _Action(
        unit=reservation.place.cell.unit,
        title=_("Cancel the reservation of place %(place)s") % {"place": label},
        subject=_("Place %(place)s") % {"place": label},
        submit=_("Cancel the reservation"),
        url=_action_url("cells:reservation-cancel", reservation.pk, on),
        form=CancelReservationForm(_bound(request)),
        facts=_placement_facts(reservation),
    )

    def perform(data: dict[str, Any]) -> str:
        stays.stay_cancel(
            reservation=reservation, reason=data["reason"], actor=acting_user(request)
        )
        return _("The reservation of place %(place)s for %(initials)s is cancelled.") % {
            "place": label,
            "initials": reservation.inmate.initials,
        }

    return _handle(request, action, on, perform)


def outage_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    cell = get_object_or_404(Cell.objects.select_related("unit__facility"), pk=pk)
    on, _error = _view_date(request)
    action = _Action(
        unit=cell.unit,
        title=_("Take cell %(cell)s out of use") % {"cell": cell.number},
        subject=_("Cell %(cell)s") % {"cell": cell.number},
        submit=_("Take out of use"),
        url=_action_url("cells:outage-start", cell.pk, on),
        form=OutageStartForm(
            _bound(request),
            initial={"starts_on": on},
            places=unit_view.place_queryset().filter(cell=cell).order_by("number"),
        ),
    )

    def perform(data: dict[str, Any]) -> str:
        place = data["place"]
        services.outage_start(
            reason=data["reason"],
            starts_on=data["starts_on"],
            expected_back_on=data["expected_back_on"],
            note=data["note"],
            cell=None if place is not None else cell,
            place=place,
            actor=acting_user(request),
        )
        what = (
            _("Place %(place)s") % {"place": unit_view.place_label(place)}
            if place is not None
            else _("Cell %(cell)s") % {"cell": cell.number}
        )
        return _("%(what)s is out of use from %(date)s.") % {
            "what": what,
            "date": data["starts_on"].isoformat(),
        }

    return _handle(request, action, on, perform)


def outage_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    outage = get_object_or_404(
        Outage.objects.select_related("cell__unit__facility", "place__cell__unit__facility"),
        pk=pk,
    )
    on, _error = _view_date(request)
    if outage.place is not None:
        unit = outage.place.cell.unit
        label = unit_view.place_label(outage.place)
        what = _("Place %(place)s") % {"place": label}
        title = _("Bring place %(place)s back into use") % {"place": label}
    elif outage.cell is not None:
        unit = outage.cell.unit
        what = _("Cell %(cell)s") % {"cell": outage.cell.number}
        title = _("Bring cell %(cell)s back into use") % {"cell": outage.cell.number}
    else:  # excluded by the outage_cell_xor_place constraint
        raise Http404
    action = _Action(
        unit=unit,
        title=title,
        subject=what,
        submit=_("Back in use"),
        url=_action_url("cells:outage-end", outage.pk, on),
        form=OutageEndForm(_bound(request), initial={"on": on}),
        facts=[
            (_("Reason"), str(outage.get_reason_display())),
            (_("Out of use since"), outage.period.lower.isoformat()),
        ],
    )

    def perform(data: dict[str, Any]) -> str:
        services.outage_end(outage=outage, on=data["on"], actor=acting_user(request))
        return _("%(what)s is back in use from %(date)s.") % {
            "what": what,
            "date": data["on"].isoformat(),
        }

    return _handle(request, action, on, perform)
