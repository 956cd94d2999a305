"""Family contact's pages: the visit schedule, one person's visits with the counts behind E15,
a visit, and the forms that request, book and close a visit.

The route policy has checked the role; the selectors narrow it to the user's facility or cases
(another's visit is a 404). Every view of a person's visits writes an access-log row: a
caseworker says why once per person per session (case work when it is their own case); a
host-facility user reads for the facility's schedule, which is their work.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from program.audit.listing import log_listed
from program.audit.purpose import ask_purpose
from program.audit.services import access_log_record
from program.core.acting import acting_user
from program.core.capabilities import can
from program.core.form_submit import submit
from program.core.policy import allows
from program.core.roles import user_roles
from program.host.selectors import posted_facility
from program.inmates.models import Inmate
from program.visits import selectors, services
from program.visits.forms import VisitBookForm, VisitFilterForm, VisitOutcomeForm, VisitRequestForm
from program.visits.models import Visit
from program.visits.record_links import contact_summary

PAGE_SIZE = 50
SUBJECT = "inmate"
HOST_PURPOSE = "host facility: visit schedule"


def _is_host(request: HttpRequest) -> bool:
    return can(request.user, "host.work")


def _log_person(request: HttpRequest, inmate_id: int) -> HttpResponse | None:
    """Ask why (caseworkers and readers, once per person per session), then log the view."""
    if _is_host(request):
        access_log_record(
            request=request,
            action="view",
            subject_type=SUBJECT,
            subject_id=inmate_id,
            purpose=HOST_PURPOSE,
        )
        return None
    asked = ask_purpose(request, SUBJECT, inmate_id)
    if asked is not None:
        return asked
    access_log_record(request=request, action="view", subject_type=SUBJECT, subject_id=inmate_id)
    return None


def _permissions(request: HttpRequest) -> dict[str, bool]:
    roles = user_roles(request.user)
    return {
        "can_request": allows("visits:request", roles),
        "can_book": allows("visits:book", roles),
        "can_close": allows("visits:outcome", roles),
    }


def visit_list(request: HttpRequest) -> HttpResponse:
    """The visit schedule the user may see: the host facility's own, or the caseworker's cases."""
    form = VisitFilterForm(request.GET or None)
    arguments = form.selector_arguments() if form.is_bound else {}
    paginator = Paginator(selectors.visit_list(user=request.user, **arguments), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    criterion = {key: str(value) for key, value in arguments.items()}
    log_listed(request, page.object_list, ("inmate_id",), criterion=criterion)
    return render(
        request,
        "visits/visit_list.html",
        {
            "form": form,
            "page": page,
            "facility": posted_facility(request.user) if _is_host(request) else None,
            **_permissions(request),
        },
    )


def _person_or_404(request: HttpRequest, pk: int) -> Inmate:
    """The person, if the user may see their visits: host staff for a person with a visit at
    their facility or placed there, a caseworker for their cases, readers for anyone."""
    inmate = get_object_or_404(Inmate.objects.only("pk", "name", "case_number"), pk=pk)
    if can(request.user, "visit.read.every"):
        return inmate
    if selectors.may_see_person(user=request.user, inmate_id=pk):
        return inmate
    raise Http404


def visit_person(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = _person_or_404(request, pk)
    asked = _log_person(request, pk)
    if asked is not None:
        return asked
    visits = list(selectors.visit_list(user=request.user, inmate=pk))
    counts = selectors.contact_counts(inmate_id=pk)
    return render(
        request,
        "visits/visit_person.html",
        {
            "inmate": inmate,
            "visits": visits,
            "counts": counts,
            "summary": contact_summary(counts),
            **_permissions(request),
        },
    )


def visit_request(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = _person_or_404(request, pk)
    facility = posted_facility(request.user) if _is_host(request) else None
    form = VisitRequestForm(
        request.POST or None, initial={"facility": facility.pk} if facility else {}
    )
    sent = submit(
        request,
        form,
        lambda _data: services.visit_request(
            inmate=inmate.pk, actor=acting_user(request), **form.service_arguments()
        ),
    )
    if sent.done is not None:
        messages.success(request, _("The visit is requested."))
        return redirect("visits:detail", sent.done.pk)
    # The form names the person (a read of their file, like their visits page).
    access_log_record(request=request, action="view", subject_type=SUBJECT, subject_id=inmate.pk)
    return render(
        request, "visits/visit_request.html", {"form": form, "inmate": inmate}, status=sent.status
    )


def _visit_or_404(request: HttpRequest, pk: int) -> Visit:
    visit = selectors.visit_for(user=request.user, pk=pk)
    if visit is None:
        raise Http404
    return visit


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    asked = _log_person(request, visit.inmate_id)
    if asked is not None:
        return asked
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "book_form": VisitBookForm(initial={"version": visit.version, "day": visit.wished_on}),
            "outcome_form": VisitOutcomeForm(initial={"version": visit.version}),
            **_permissions(request),
        },
    )


def _move(
    request: HttpRequest,
    pk: int,
    form_class: type[BaseForm],
    template: str,
    act: Any,
) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    form = form_class(request.POST or None, initial={"version": visit.version})
    sent = submit(request, form, lambda _data: act(visit, form))
    if sent.acted:
        messages.success(request, _("The visit is saved."))
        return redirect("visits:detail", visit.pk)
    return render(request, template, {"form": form, "visit": visit}, status=sent.status)


def visit_book(request: HttpRequest, pk: int) -> HttpResponse:
    def act(visit: Visit, form: Any) -> None:
        starts_at, ends_at = form.times()
        services.visit_book(
            visit=visit.pk,
            starts_at=starts_at,
            ends_at=ends_at,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
        )

    return _move(request, pk, VisitBookForm, "visits/visit_book.html", act)


def visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    def act(visit: Visit, form: Any) -> None:
        services.visit_record_outcome(
            visit=visit.pk,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
        )

    return _move(request, pk, VisitOutcomeForm, "visits/visit_outcome.html", act)
