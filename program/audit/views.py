"""Auditor pages: the access log, a subject's access report, and the write history of a record.

The route policy admits the roles; the history page narrows non-auditors to a person's file.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from program.audit import selectors
from program.audit.forms import AccessLogFilterForm, RecordForm, SubjectForm
from program.audit.history import EVENT_MODELS
from program.audit.listing import log_listed
from program.audit.models import AccessLogEntry
from program.audit.purpose import PurposeForm, remember_purpose, session_purpose
from program.audit.services import access_log_record
from program.core import exports
from program.core.capabilities import can
from program.inmates.minimisation import HEALTH_AND_FAMILY_FIELDS, sees_health_and_family

PAGE_SIZE = 50
INMATE_FILE = "inmates.Inmate"


def history_tab(
    request: HttpRequest, changes: list[selectors.Change], *, record: str, back: str
) -> HttpResponse:
    """A record page's History tab: the list alone when htmx loads it into the page, a page of
    its own (with a way back to `back`) when followed as a plain link without JavaScript."""
    if getattr(request, "htmx", False):
        return render(request, "audit/_history.html", {"changes": changes})
    return render(
        request,
        "audit/record_history.html",
        {"changes": changes, "record": record, "back": back},
    )


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    form = AccessLogFilterForm(filters or None)
    # A filter that cannot be read answers with its error and no rows, never with everything.
    invalid = form.is_bound and not form.is_valid()
    rows = (
        AccessLogEntry.objects.none()
        if invalid
        else selectors.access_log_search(**form.selector_arguments())
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    people = getattr(form, "people", []) if not invalid else []
    if people:
        # The auditor's search named these people: itself an access to their records.
        log_listed(request, people, ("pk",), criterion={"person": form.cleaned_data["person"]})
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "people": people,
            "subject_id_hint": _subject_id_hint(form, invalid, paginator.count),
        },
        status=400 if invalid else 200,
    )


def _subject_id_hint(form: AccessLogFilterForm, invalid: bool, count: int) -> str:
    """A subject id search that found nothing because a case number was typed there."""
    if invalid or count or not form.is_bound:
        return ""
    typed = form.cleaned_data.get("subject_id", "")
    if typed and not typed.isdigit():
        return str(
            _(
                "No entry has the subject id %(typed)s. A subject id is the record's number; to "
                "find a person by case number or name, use “Case number or name”."
            )
            % {"typed": typed}
        )
    return ""


@never_cache
@require_GET
def subject_report(request: HttpRequest) -> HttpResponse:
    """The page asks whose report; with a subject it downloads the CSV (dates, actions,
    purposes; no staff identities: the subject's right of access after CJEU C-579/21)."""
    form = SubjectForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return render(request, "audit/subject_report.html", {"form": form})
    subject_type = form.cleaned_data["subject_type"]
    subject_id = form.cleaned_data["subject_id"]
    rows = selectors.subject_access_report(subject_type=subject_type, subject_id=subject_id)
    labels = dict(AccessLogEntry.Action.choices)
    response = exports.table_response(
        fmt="csv",
        # The subject's type and id are the record's key, not the person's data.
        stem=f"access-report-{slugify(subject_type)}-{slugify(subject_id)}",
        headers=[_("Date and time (UTC)"), _("Use"), _("Purpose")],
        rows=([row.at, labels.get(row.action, row.action), row.purpose] for row in rows),
    )
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.DISCLOSURE,
        subject_type=subject_type,
        subject_id=subject_id,
        purpose="access report",
    )
    return response


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """?model=inmates.Inmate&id=… shows a person's whole file; other models, one row (auditors)."""
    form = RecordForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        label = form.cleaned_data["model"]
        pk = form.cleaned_data["id"]
        if label not in EVENT_MODELS:
            return HttpResponseBadRequest(_("There is no history for that kind of record."))
        if label != INMATE_FILE and not can(request.user, "audit.history.any_record"):
            raise PermissionDenied(_("Your role shows the history of a person's file only."))
        if label == INMATE_FILE:
            if not pk.isdigit():
                return HttpResponseBadRequest(_("An inmate is given by a number."))
            # The occupancy administrator reads no health or family details, in history either.
            hidden = () if sees_health_and_family(request.user) else HEALTH_AND_FAMILY_FIELDS
            changes = selectors.inmate_history(inmate_id=int(pk), hidden=hidden)
            access_log_record(
                request=request,
                action=AccessLogEntry.Action.VIEW,
                subject_type="inmate",
                subject_id=pk,
                purpose=session_purpose(request, "inmate", pk)
                or ("audit" if can(request.user, "access_log.read") else "history"),
            )
        else:
            changes = selectors.record_history(label=label, pk=pk)
        context.update({"changes": changes, "label": label, "pk": pk})
    return render(request, "audit/history.html", context)


@require_POST
def purpose(request: HttpRequest) -> HttpResponse:
    """Store the purpose chosen for one record in the session, then go back to the record."""
    form = PurposeForm(request.POST)
    if not form.is_valid():
        return render(request, "audit/purpose.html", {"form": form}, status=400)
    remember_purpose(
        request, form.cleaned_data["subject_type"], form.cleaned_data["subject_id"], form.chosen()
    )
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
