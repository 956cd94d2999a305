"""Incident pages: the list, the report form, one incident, its review and added information.

Every page starts from selectors.incidents_for(user), so host staff never reach another
facility's incident (404). Opening an incident is a read of each person in it: one access-log
row per person (`view`, subject inmate); a list writes one row naming everyone on its page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from program.audit.services import access_log_list, access_log_record_many
from program.core.acting import acting_user
from program.core.form_submit import Submission, submit
from program.core.policy import allows
from program.core.roles import user_roles
from program.incidents import selectors, services
from program.incidents.forms import (
    AdditionForm,
    FacilityChoiceForm,
    IncidentFilterForm,
    IncidentForm,
    ReviewForm,
)
from program.incidents.models import Incident

PAGE_SIZE = 25
# Why an incident is read, for the access log: the incident's own work (reporting, review).
PURPOSE = "incident"


def _people(rows: list[Incident]) -> list[int]:
    return [person.inmate_id for row in rows for person in row.people.all()]


def incident_list(request: HttpRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.IncidentFilters()
    paginator = Paginator(selectors.incident_list(user=request.user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    access_log_list(
        request=request,
        subject_type="inmate",
        subject_ids=_people(rows),
        criterion={
            key: value for key, value in vars(filters).items() if value not in ("", None, False)
        },
    )
    roles = user_roles(request.user)
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "facility": selectors.facility_scope(request.user),
            "can_report": allows("incidents:create", roles),
            "sees_people": True,
        },
    )


def incident_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("facility", "").isdigit():
        initial["facility"] = int(request.GET["facility"])
    form = IncidentForm(request.POST or None, user=acting_user(request), initial=initial)
    if not form.may_report():
        raise Http404(_("You are not posted to a facility, so you cannot report an incident."))
    sent = submit(
        request,
        form,
        lambda _data: services.incident_report(
            actor=acting_user(request), **form.service_arguments()
        ),
    )
    if sent.done is not None:
        messages.success(request, _("The incident was reported. The governor will review it."))
        return redirect("incidents:detail", pk=sent.done.pk)
    # Danish staff choose the facility first to name people; they may also report without.
    chooser = (
        FacilityChoiceForm(facilities=form.facility_choices(), initial=initial)
        if form.fields["inmates"].widget.is_hidden
        else None
    )
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "chooser": chooser},
        status=sent.status,
    )


def _detail_or_404(request: HttpRequest, pk: int) -> Incident:
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        raise Http404(_("No such incident."))
    return incident


def _log_view(request: HttpRequest, incident: Incident) -> None:
    people = [person.inmate_id for person in incident.people.all()]
    if people:
        access_log_record_many(
            request=request,
            action="view",
            subject_type="inmate",
            subject_ids=people,
            purpose=PURPOSE,
            criterion={"incident": incident.pk},
        )


def _detail_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    roles = user_roles(request.user)
    awaiting = incident.state == Incident.State.AWAITING_REVIEW
    return {
        "incident": incident,
        "people": list(incident.people.all()),
        "reviews": list(incident.reviews.all()),
        "additions": list(incident.additions.all()),
        "notices": list(incident.notices.all()),
        "named_staff": [row.user for row in incident.named_staff.all()],
        "authority_notice": getattr(incident, "authority_notice", None),
        "sees_injuries": selectors.sees_injuries(request.user),
        "can_review": awaiting and allows("incidents:review", roles),
        "can_add": incident.state == Incident.State.MORE_INFORMATION
        and allows("incidents:add-information", roles),
    }


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _detail_or_404(request, pk)
    _log_view(request, incident)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


def _action_answer(
    request: HttpRequest,
    incident: Incident,
    form: BaseForm,
    sent: Submission[Any],
    *,
    done: str,
    title: str,
    submit_label: str,
) -> HttpResponse:
    """The reply to an action form on an incident: back to the record once it acted, otherwise
    the form again (the viewing is logged, since the page shows the record)."""
    if sent.acted:
        messages.success(request, done)
        return redirect("incidents:detail", pk=incident.pk)
    _log_view(request, incident)
    return render(
        request,
        "incidents/incident_action.html",
        {
            **_detail_context(request, incident),
            "form": form,
            "title": title,
            "submit": submit_label,
        },
        status=sent.status,
    )


def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _detail_or_404(request, pk)
    form = ReviewForm(request.POST or None, initial={"version": incident.version})
    sent = submit(
        request,
        form,
        lambda data: services.incident_review(
            actor=acting_user(request),
            incident_id=incident.pk,
            outcome=data["outcome"],
            findings=data["findings"],
            follow_up=data.get("follow_up") or "",
            information_requested=data.get("information_requested") or "",
            expected_version=data["version"],
        ),
    )
    return _action_answer(
        request,
        incident,
        form,
        sent,
        done=_("The review was recorded."),
        title=_("Review incident #%(pk)s") % {"pk": incident.pk},
        submit_label=_("Record the review"),
    )


def incident_add_information(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _detail_or_404(request, pk)
    form = AdditionForm(request.POST or None, initial={"version": incident.version})
    sent = submit(
        request,
        form,
        lambda data: services.incident_add_information(
            actor=acting_user(request),
            incident_id=incident.pk,
            text=data["text"],
            expected_version=data["version"],
        ),
    )
    return _action_answer(
        request,
        incident,
        form,
        sent,
        done=_("The information was added; the governor is told."),
        title=_("Add information to incident #%(pk)s") % {"pk": incident.pk},
        submit_label=_("Add the information"),
    )
