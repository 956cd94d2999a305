"""Complaint pages. The route policy (routes.py) has checked the role; each view parses its
input, calls a selector or a service, and renders. Every page that shows a person's complaint
writes an access-log row about the person; the lists write one row naming everyone on them."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from program.audit.listing import log_listed
from program.audit.models import AccessLogEntry
from program.audit.purpose import ask_purpose
from program.audit.services import access_log_record
from program.complaints import selectors, services
from program.complaints.forms import (
    ComplaintAnswerForm,
    ComplaintDocumentForm,
    ComplaintEditForm,
    ComplaintFilterForm,
    ComplaintRegisterForm,
    ReceiptForm,
)
from program.complaints.models import Complaint, ComplaintDocument
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.core.form_errors import show_refusal
from program.core.form_submit import Submission, submit
from program.core.policy import allows
from program.core.roles import user_roles
from program.core.uploads import stored_file_response
from program.host.selectors import posted_facility

PAGE_SIZE = 50
PERSON = "inmate"


def _log_view(request: HttpRequest, complaint: Complaint, **extra: Any) -> None:
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.VIEW,
        subject_type=PERSON,
        subject_id=complaint.inmate_id,
        criterion={"complaint": complaint.pk, **extra},
    )


def _opened(request: HttpRequest, pk: int) -> Complaint | HttpResponse:
    """The complaint, once the reader has said why they open the person's record."""
    complaint = selectors.complaint_detail(pk)
    if complaint is None:
        raise Http404(_("There is no complaint with this number."))
    asked = ask_purpose(request, PERSON, complaint.inmate_id)
    return asked if asked is not None else complaint


# --- Danish staff ------------------------------------------------------------------------------


def complaint_list(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None)
    arguments = form.selector_arguments() if form.is_bound else {}
    rows = selectors.complaint_list(today=timezone.localdate(), **arguments)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    criterion = {
        key: (value.pk if hasattr(value, "pk") else value) for key, value in arguments.items()
    }
    log_listed(request, page.object_list, ("inmate_id",), criterion=criterion)
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "filtered": any(criterion.values()),
            "can_register": allows("complaints:register", user_roles(request.user)),
        },
    )


def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _opened(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    complaint = opened
    _log_view(request, complaint)
    roles = user_roles(request.user)
    can_write = allows("complaints:answer", roles)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "documents": list(complaint.documents.all()),
            "overdue": complaint.status == Complaint.Status.OPEN
            and complaint.deadline < timezone.localdate(),
            "can_write": can_write,
            "document_form": ComplaintDocumentForm() if can_write else None,
            "can_see_access": allows("audit:access-log", roles),
        },
    )


def complaint_register(request: HttpRequest) -> HttpResponse:
    form = ComplaintRegisterForm(request.POST or None, request.FILES or None)
    sent = submit(
        request,
        form,
        lambda data: services.complaint_register(actor=acting_user(request), **data),
    )
    if sent.done is not None:
        messages.success(request, _("Complaint #%(pk)s is registered.") % {"pk": sent.done.pk})
        return redirect("complaints:detail", pk=sent.done.pk)
    return render(
        request,
        "complaints/complaint_form.html",
        {"form": form, "title": _("Register a complaint or request"), "multipart": True},
        status=sent.status,
    )


def _form_answer(
    request: HttpRequest,
    complaint: Complaint,
    form: forms.BaseForm,
    sent: Submission[Any],
    *,
    done: str,
    logged_form: str,
    page: dict[str, Any],
) -> HttpResponse:
    """The reply to a form on one complaint: back to the complaint once it acted, otherwise the
    form again (logged as a read of the complaint, naming which form showed it)."""
    if sent.acted:
        messages.success(request, done)
        return redirect("complaints:detail", pk=complaint.pk)
    _log_view(request, complaint, form=logged_form)
    return render(
        request,
        "complaints/complaint_form.html",
        {"form": form, "complaint": complaint, **page},
        status=sent.status,
    )


def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _opened(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    complaint = opened
    initial = {
        "version": complaint.version,
        "channel": complaint.channel,
        "sealed": complaint.sealed,
        "language": complaint.language,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "authority": complaint.authority_id,
        "handler": complaint.handler_id,
    }
    form = ComplaintEditForm(request.POST or None, initial=initial)
    sent = submit(
        request,
        form,
        lambda data: services.complaint_update(
            complaint=complaint, actor=acting_user(request), **data
        ),
    )
    return _form_answer(
        request,
        complaint,
        form,
        sent,
        done=_("The registration is saved."),
        logged_form="edit",
        page={"title": _("Register complaint #%(pk)s") % {"pk": complaint.pk}},
    )


def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    opened = _opened(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    complaint = opened
    form = ComplaintAnswerForm(
        request.POST or None, request.FILES or None, initial={"version": complaint.version}
    )
    sent = submit(
        request,
        form,
        lambda data: services.complaint_answer(
            complaint=complaint, actor=acting_user(request), **data
        ),
    )
    return _form_answer(
        request,
        complaint,
        form,
        sent,
        done=_("The answer is recorded."),
        logged_form="answer",
        page={
            "multipart": True,
            "title": _("Answer to complaint #%(pk)s") % {"pk": complaint.pk},
        },
    )


@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(Complaint, pk=pk)
    form = ComplaintDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the kind and a file."))
        return redirect("complaints:detail", pk=pk)
    try:
        services.complaint_document_add(
            complaint=complaint,
            actor=acting_user(request),
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is stored."))
    return redirect("complaints:detail", pk=pk)


def document_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """One stored document, as an attachment named without personal data; it leaves the system
    with the person's data, so it is logged as an export."""
    document = get_object_or_404(
        ComplaintDocument.objects.select_related("complaint").only(
            "id", "kind", "file", "content_type", "complaint__id", "complaint__inmate_id"
        ),
        pk=pk,
    )
    asked = ask_purpose(request, PERSON, document.complaint.inmate_id)
    if asked is not None:
        return asked
    response = stored_file_response(
        document.file,
        name=f"complaint-{document.complaint_id}-{document.kind}-{document.pk}",
        content_type=document.content_type,
        missing=_("The file of this document is missing from storage."),
    )
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.EXPORT,
        subject_type=PERSON,
        subject_id=document.complaint.inmate_id,
        criterion={"complaint": document.complaint_id, "document": document.pk},
    )
    return response


# --- The host facility's staff -----------------------------------------------------------------


def receipts(request: HttpRequest) -> HttpResponse:
    """The complaints received at the user's facility: who, when, how, sealed or not."""
    page = Paginator(selectors.receipts_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_listed(request, page.object_list, ("inmate_id",), criterion={})
    return render(
        request,
        "complaints/receipts.html",
        {"page": page, "facility": posted_facility(request.user)},
    )


def receipt_create(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None, user=request.user)
    posted = posted_facility(request.user) is not None
    if posted and request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_receipt_record(
                actor=acting_user(request), **form.cleaned_data
            )
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The receipt is recorded as complaint #%(pk)s and goes to the Danish staff.")
                % {"pk": complaint.pk},
            )
            return redirect("complaints:receipts")
    # The form lists the people at the officer's facility by name: a list read of each of them.
    choices = cast("forms.ModelChoiceField[Any]", form.fields["inmate"]).queryset
    if choices is not None:
        log_listed(request, list(choices.only("pk")), ("pk",), criterion={})
    return render(request, "complaints/receipt_form.html", {"form": form, "posted": posted})
