"""The inspection pages: the list, an inspection with its findings, a finding with its actions,
and the forms that record them. Thin: they parse, call a service or a selector, and render.

A finding about a person shows who it is: opening it is a read of the person's record, so the
reader says why (once per session) and the access log records it. The inspection page lists its
findings without naming anyone, so it is not such a read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from program.audit.purpose import ask_purpose
from program.audit.services import access_log_record
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.core.form_errors import show_refusal
from program.core.form_submit import refusal_status, submit
from program.core.policy import may_post
from program.core.uploads import stored_file_response
from program.inspections import selectors, services
from program.inspections.forms import ActionForm, ActionUpdateForm, FindingForm, InspectionForm
from program.inspections.models import Finding, FindingAction, Inspection

PERSON = "inmate"


def _read_person(request: HttpRequest, finding: Finding) -> HttpResponse | None:
    """For a finding about a person: the purpose form if the reader has not said why yet;
    otherwise the access-log row for this read."""
    if finding.person_id is None:
        return None
    asked = ask_purpose(request, PERSON, finding.person_id)
    if asked is not None:
        return asked
    access_log_record(
        request=request,
        action="view",
        subject_type=PERSON,
        subject_id=finding.person_id,
        criterion={"finding": finding.pk},
    )
    return None


# --- Inspections ------------------------------------------------------------------------------


def inspection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "inspections": list(selectors.inspection_list()),
            "may_record": may_post(request, "inspections:create"),
            "overdue_count": selectors.overdue_actions(timezone.localdate()).count(),
        },
    )


def _inspection_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.INSPECTION_FIELDS}


def inspection_create(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None, request.FILES or None)
    sent = submit(
        request,
        form,
        lambda data: services.inspection_record(
            **_inspection_values(data), report=data["report"] or None, actor=acting_user(request)
        ),
    )
    if sent.done is not None:
        messages.success(request, _("The inspection is recorded."))
        return redirect(sent.done)
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "title": _("Record an inspection"), "inspection": None},
        status=sent.status,
    )


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(selectors.inspection_detail_queryset(), pk=pk)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": list(inspection.findings.all()),
            "may_edit": may_post(request, "inspections:edit"),
            "may_add_finding": may_post(request, "inspections:finding-create"),
            "today": timezone.localdate(),
        },
    )


def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("body", "facility"), pk=pk)
    form = InspectionForm(request.POST or None, request.FILES or None, inspection=inspection)
    sent = submit(
        request,
        form,
        lambda data: services.inspection_edit(
            inspection=inspection.pk,
            values=_inspection_values(data),
            report=data["report"] or None,
            expected_version=data["expected_version"],
            actor=acting_user(request),
        ),
    )
    if sent.acted:
        messages.success(request, _("The inspection is changed."))
        return redirect(inspection)
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "title": _("Change the inspection"), "inspection": inspection},
        status=sent.status,
    )


def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """The report as an attachment named by the inspection, never by the uploaded name."""
    inspection = get_object_or_404(Inspection, pk=pk)
    if not inspection.report:
        raise Http404(_("No report is on file for this inspection."))
    return stored_file_response(
        inspection.report,
        name=f"inspection-{inspection.pk}-report",
        content_type=inspection.report_content_type,
        missing=_("The report file is missing from storage."),
    )


# --- Findings ---------------------------------------------------------------------------------


def _finding_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in ("title", "text", "severity", "concerns", "unit", "cell", "person", "practice")
    }


def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("body", "facility"), pk=pk)
    form = FindingForm(request.POST or None, facility_id=inspection.facility_id)
    sent = submit(
        request,
        form,
        lambda data: services.finding_record(
            inspection=inspection.pk, **_finding_values(data), actor=acting_user(request)
        ),
    )
    if sent.done is not None:
        messages.success(request, _("The finding is recorded."))
        return redirect(sent.done)
    status = sent.status
    return render(
        request,
        "inspections/finding_form.html",
        {"form": form, "inspection": inspection, "finding": None, "title": _("Record a finding")},
        status=status,
    )


def _render_finding(
    request: HttpRequest,
    finding: Finding,
    *,
    add_form: ActionForm | None = None,
    bound: ActionUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    may_update = may_post(request, "inspections:action-update")
    for action in finding.actions.all():
        form = None
        if may_update and action.is_pending:
            form = bound if bound is not None and bound.action.pk == action.pk else None
            form = form or ActionUpdateForm(action=action)
        rows.append((action, form))
    if add_form is None and may_post(request, "inspections:action-add"):
        add_form = ActionForm()
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "inspection": finding.inspection,
            "rows": rows,
            "add_form": add_form,
            "may_edit": may_post(request, "inspections:finding-edit"),
            "today": timezone.localdate(),
            "failed_forms": [f for f in (add_form, bound) if f is not None and f.errors],
        },
        status=status,
    )


def _finding(pk: int) -> Finding:
    return get_object_or_404(selectors.finding_detail_queryset(), pk=pk)


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(pk)
    asked = _read_person(request, finding)
    if asked is not None:
        return asked
    return _render_finding(request, finding)


def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(pk)
    asked = _read_person(request, finding)
    if asked is not None:
        return asked
    form = FindingForm(
        request.POST or None, facility_id=finding.inspection.facility_id, finding=finding
    )
    sent = submit(
        request,
        form,
        lambda data: services.finding_edit(
            finding=finding.pk,
            **_finding_values(data),
            expected_version=data["expected_version"],
            actor=acting_user(request),
        ),
    )
    if sent.acted:
        messages.success(request, _("The finding is changed."))
        return redirect(finding)
    status = sent.status
    return render(
        request,
        "inspections/finding_form.html",
        {
            "form": form,
            "inspection": finding.inspection,
            "finding": finding,
            "title": _("Change the finding"),
        },
        status=status,
    )


def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(pk)
    asked = _read_person(request, finding)
    if asked is not None:
        return asked
    if request.method != "POST":
        return _render_finding(request, finding)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(finding=finding.pk, **form.cleaned_data, actor=acting_user(request))
        except ApplicationError as error:
            show_refusal(form, error)
            return _render_finding(
                request, _finding(pk), add_form=form, status=refusal_status(error)
            )
        messages.success(request, _("The action is recorded."))
        return redirect(finding)
    return _render_finding(request, finding, add_form=form, status=400)


def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(FindingAction.objects.only("pk", "finding_id"), pk=pk)
    finding = _finding(action.finding_id)
    asked = _read_person(request, finding)
    if asked is not None:
        return asked
    current = next(a for a in finding.actions.all() if a.pk == action.pk)
    if request.method != "POST":
        return _render_finding(request, finding)
    form = ActionUpdateForm(request.POST, action=current)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.action_update(
                action=current.pk,
                status=data["status"],
                done_on=data["done_on"],
                evidence=data["evidence"],
                reason=data["reason"],
                expected_version=data["expected_version"],
                actor=acting_user(request),
            )
        except ApplicationError as error:
            show_refusal(form, error)
            return _render_finding(
                request, _finding(finding.pk), bound=form, status=refusal_status(error)
            )
        messages.success(
            request,
            _("The action “%(action)s” is now %(status)s.")
            % {"action": moved.title, "status": moved.get_status_display().lower()},
        )
        return redirect(finding)
    return _render_finding(request, finding, bound=form, status=400)


def overdue_actions(request: HttpRequest) -> HttpResponse:
    """The work queue's full list: every action past its deadline and not yet done."""
    return render(
        request,
        "inspections/overdue.html",
        {"actions": list(selectors.overdue_actions(timezone.localdate()))},
    )
