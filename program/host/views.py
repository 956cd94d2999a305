"""The host facility's pages: the day's roll, expected arrivals, the check-in at the gate, the
daily headcount and (for management) the overview of the counts.

Who may reach each page is the route policy's (program/host/routes.py); what they see is scoped
to the facility they are posted to. A host user without a posting sees a page telling them to
ask the system administrator, never another facility's people.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.listing import log_listed
from program.audit.services import access_log_record
from program.cells.models import Facility
from program.core.acting import acting_user
from program.core.form_submit import Submission, submit
from program.host import arrivals, selectors, services
from program.host.forms import CheckInForm, HeadcountForm, RefuseForm
from program.host.models import ArrivalCheck, HeadcountConfirmation

# The transports shown on the arrivals page: a few days back (a late arrival), two weeks ahead.
ARRIVALS_BACK_DAYS = 3
ARRIVALS_AHEAD_DAYS = 14
# The days the overview and the headcount history show.
OVERVIEW_DAYS = 14
# Why a check-in page is a read of the person (the access log's purpose).
CHECK_IN_PURPOSE = "host arrival check-in"


def _not_posted(request: HttpRequest) -> HttpResponse:
    return render(request, "host/not_posted.html", {"title": _("No facility yet")})


def _facility(request: HttpRequest) -> Facility | None:
    return selectors.posted_facility(request.user)


def roll(request: HttpRequest) -> HttpResponse:
    facility = _facility(request)
    if facility is None:
        return _not_posted(request)
    today = timezone.localdate()
    lines = selectors.roll(facility=facility, on=today)
    log_listed(request, lines, ("inmate_id",), criterion={"facility": facility.pk}, action="list")
    return render(
        request,
        "host/roll.html",
        {"facility": facility, "today": today, "lines": lines, "title": _("Today's roll")},
    )


def arrivals_list(request: HttpRequest) -> HttpResponse:
    facility = _facility(request)
    if facility is None:
        return _not_posted(request)
    today = timezone.localdate()
    transports = arrivals.source().expected(
        facility=facility,
        start=today - timedelta(days=ARRIVALS_BACK_DAYS),
        end=today + timedelta(days=ARRIVALS_AHEAD_DAYS),
    )
    checked = list(selectors.checks_on(facility=facility, on=today))
    people = [person for transport in transports for person in transport.people]
    log_listed(
        request,
        [*people, *checked],
        ("inmate_id",),
        criterion={"facility": facility.pk},
        action="list",
    )
    return render(
        request,
        "host/arrivals.html",
        {
            "facility": facility,
            "today": today,
            "transports": transports,
            "checked": checked,
            "title": _("Expected arrivals"),
        },
    )


def _check_in_page(
    request: HttpRequest,
    case_id: int,
    *,
    form: CheckInForm | None = None,
    refuse_form: RefuseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    facility = _facility(request)
    if facility is None:
        return _not_posted(request)
    person = arrivals.source().person(case_id=case_id)
    if person is None or person.facility_id != facility.pk:
        done = selectors.check_for_case(case_id=case_id)
        if done is not None and done.facility_id == facility.pk:
            messages.info(request, _("This arrival has already been checked in."))
            return redirect("host:arrivals")
        raise Http404(_("Nobody on a transport to your facility has this transfer case."))
    access_log_record(
        request=request,
        action="view",
        subject_type="inmate",
        subject_id=person.inmate_id,
        purpose=CHECK_IN_PURPOSE,
    )
    return render(
        request,
        "host/check_in.html",
        {
            "facility": facility,
            "person": person,
            "form": form or CheckInForm(),
            "refuse_form": refuse_form or RefuseForm(),
            "title": _("Check in an arrival"),
        },
        status=status,
    )


def _after_gate(
    request: HttpRequest,
    case_id: int,
    sent: Submission[ArrivalCheck],
    said: Callable[[ArrivalCheck], str],
    *,
    form: CheckInForm | None = None,
    refuse_form: RefuseForm | None = None,
) -> HttpResponse:
    """Both gate decisions end alike: once kept, say so and go back to the arrivals; when
    refused or invalid, show the check-in page again with the form that was sent."""
    if sent.done is not None:
        messages.success(request, said(sent.done))
        return redirect("host:arrivals")
    return _check_in_page(request, case_id, form=form, refuse_form=refuse_form, status=sent.status)


def check_in(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method != "POST":
        return _check_in_page(request, case_id)
    form = CheckInForm(request.POST)
    sent = submit(
        request,
        form,
        lambda data: services.arrival_admit(
            case_id=case_id,
            identity_confirmed=data["identity_confirmed"],
            items=data["items"],
            remarks=data["remarks"],
            actor=acting_user(request),
        ),
    )
    return _after_gate(
        request,
        case_id,
        sent,
        lambda check: (
            _("%(name)s is admitted to place %(place)s.")
            % {"name": check.inmate.name, "place": _place_of(check)}
        ),
        form=form,
    )


@require_POST
def refuse(request: HttpRequest, case_id: int) -> HttpResponse:
    form = RefuseForm(request.POST)
    sent = submit(
        request,
        form,
        lambda data: services.arrival_refuse(
            case_id=case_id,
            reason=data["reason"],
            items=(),
            remarks=data["remarks"],
            actor=acting_user(request),
        ),
    )
    return _after_gate(
        request,
        case_id,
        sent,
        lambda check: (
            _("%(name)s is refused at the gate and goes back with the escort.")
            % {"name": check.inmate.name}
        ),
        refuse_form=form,
    )


def _place_of(check: ArrivalCheck) -> str:
    place = check.placement.place if check.placement else None
    return f"{place.cell.number}-{place.number}" if place else "—"


def _headcount_context(facility: Facility, today: date) -> dict[str, Any]:
    unit_list = list(selectors.units(facility=facility))
    counts = selectors.roll_counts(facility=facility, on=today)
    in_force = {
        c.unit_id: c for c in selectors.headcounts_in_force(facility=facility, days=[today])
    }
    rows = [
        {"unit": unit, "on_roll": counts.get(unit.pk, 0), "confirmed": in_force.get(unit.pk)}
        for unit in unit_list
    ]
    return {
        "facility": facility,
        "today": today,
        "units": unit_list,
        "rows": rows,
        "whole": in_force.get(None),
        "total_on_roll": sum(counts.values()),
        "history": list(
            selectors.headcount_history(
                facility=facility, start=today - timedelta(days=OVERVIEW_DAYS - 1), end=today
            )
        ),
        "title": _("Daily headcount"),
    }


def headcount(request: HttpRequest) -> HttpResponse:
    facility = _facility(request)
    if facility is None:
        return _not_posted(request)
    today = timezone.localdate()
    context = _headcount_context(facility, today)
    form = HeadcountForm(request.POST or None, units=context["units"])
    sent = submit(
        request,
        form,
        lambda data: services.headcount_confirm(
            unit_id=form.unit_id(),
            counted=data["counted"],
            reason=data["reason"],
            actor=acting_user(request),
        ),
    )
    if sent.done is not None:
        messages.success(request, _confirmed_message(sent.done))
        return redirect("host:headcount")
    return render(request, "host/headcount.html", {**context, "form": form}, status=sent.status)


def _confirmed_message(confirmation: HeadcountConfirmation) -> str:
    where = confirmation.unit.name if confirmation.unit else _("the whole facility")
    if confirmation.difference:
        return _(
            "Headcount confirmed for %(where)s: %(counted)d counted, %(on_roll)d on the roll. "
            "The occupancy administrators have been told of the difference."
        ) % {"where": where, "counted": confirmation.counted, "on_roll": confirmation.on_roll}
    return _("Headcount confirmed for %(where)s: %(counted)d, as on the roll.") % {
        "where": where,
        "counted": confirmation.counted,
    }


def overview(request: HttpRequest) -> HttpResponse:
    facility = _facility(request)
    if facility is None:
        return _not_posted(request)
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(OVERVIEW_DAYS)]
    confirmed: dict[date, list[HeadcountConfirmation]] = {day: [] for day in days}
    for row in selectors.headcounts_in_force(facility=facility, days=days):
        confirmed[row.day].append(row)
    discrepancies = [row for rows in confirmed.values() for row in rows if row.difference]
    return render(
        request,
        "host/overview.html",
        {
            "facility": facility,
            "today": today,
            "days": [(day, confirmed[day]) for day in days],
            "discrepancies": discrepancies,
            "present": selectors.roll_count(facility=facility, unit=None, on=today),
            "title": _("Facility overview"),
        },
    )
