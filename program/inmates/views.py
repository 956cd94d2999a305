"""Inmate pages. Each view parses its input, calls a selector or a service, and renders.

The route policy (program/core/policy.py) has already checked the role by the time a view runs.
Messages never carry a name or case number: they travel in a cookie.
"""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.audit.listing import log_listed
from program.audit.purpose import purpose_required
from program.audit.services import access_log_list, access_log_record
from program.core import form_submit
from program.core.acting import acting_user
from program.core.errors import ApplicationError, PreconditionFailedError
from program.core.form_errors import show_refusal
from program.core.policy import allows
from program.core.roles import user_roles
from program.inmates import record_links, selectors, services
from program.inmates.forms import (
    ExpulsionOrderEditForm,
    ExpulsionOrderForm,
    InmateEditForm,
    InmateFilterForm,
    InmateForm,
    JudgmentEditForm,
    JudgmentForm,
    NonAssociationEndForm,
    NonAssociationForm,
)
from program.inmates.minimisation import sees_health_and_family
from program.inmates.models import ExpulsionOrder, Inmate, Judgment

PAGE_SIZE = 50
SORTABLE_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("case_number", gettext_lazy("Case number")),
    ("release_date", gettext_lazy("Release date")),
]


def _permissions(request: HttpRequest) -> dict[str, bool]:
    roles = user_roles(request.user)
    return {
        "can_edit": allows("inmates:edit", roles),
        "can_keep_apart": allows("inmates:non-association-create", roles),
        "can_import": allows("inmates:import", roles),
        "can_see_access": allows("audit:access-log", roles),
    }


def _sort_columns(order: str) -> list[dict[str, Any]]:
    columns = []
    for key, label in SORTABLE_COLUMNS:
        if order == key:
            direction, next_order = "ascending", f"-{key}"
        elif order == f"-{key}":
            direction, next_order = "descending", key
        else:
            direction, next_order = "", key
        columns.append({"key": key, "label": label, "sort": direction, "next": next_order})
    return columns


def inmate_list(request: HttpRequest) -> HttpResponse:
    form = InmateFilterForm(
        request.GET or None,
        nationalities=[(c.code, c.name) for c in selectors.nationalities_in_use()],
        institutions=selectors.home_institutions(),
        minimised=not sees_health_and_family(request.user),
    )
    arguments: dict[str, Any] = {}
    if form.is_bound:
        # An invalid filter (a mistyped date) is shown with its error; the valid ones still apply.
        form.is_valid()
        arguments = form.selector_arguments()
    order = arguments.get("order", "name")
    paginator = Paginator(selectors.inmate_list(**arguments), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    log_listed(request, page.object_list, ("pk",), criterion=arguments)
    return render(
        request,
        "inmates/inmate_list.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "columns": _sort_columns(order),
            "filtered": bool(
                form.is_bound and any(v for k, v in arguments.items() if k != "order")
            ),
            **_permissions(request),
        },
    )


@purpose_required("inmate")
def inmate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = get_object_or_404(selectors.inmate_page_queryset(), pk=pk)
    access_log_record(request=request, action="view", subject_type="inmate", subject_id=pk)
    lists = selectors.inmate_page_lists(inmate)
    judgments = lists.judgments
    return render(
        request,
        "inmates/inmate_detail.html",
        {
            "inmate": inmate,
            "nationalities": lists.nationalities,
            "expulsion_orders": lists.expulsion_orders,
            "judgments": judgments,
            "current_judgment": judgments[0] if judgments else None,
            "non_associations": selectors.non_associations_for(inmate=inmate),
            "breaches": selectors.placement_breaches(inmate_ids=[inmate.pk]),
            "sees_health_and_family": sees_health_and_family(request.user),
            "today": timezone.localdate(),
            "record_links": record_links.links_for(inmate, request.user, user_roles(request.user)),
            **_permissions(request),
        },
    )


def inmate_create(request: HttpRequest) -> HttpResponse:
    form = InmateForm(request.POST or None)
    sent = form_submit.submit(
        request, form, lambda data: services.inmate_create(actor=acting_user(request), **data)
    )
    if sent.done is not None:
        messages.success(request, _("The inmate was registered."))
        return redirect("inmates:detail", pk=sent.done.pk)
    context = {"form": form, "inmate": None}
    return render(request, "inmates/inmate_form.html", context, status=sent.status)


def _changed_since(pk: int, read_version: int) -> list[str]:
    """Who changed the inmate's details after the version read, when and what, oldest first,
    so a refused save can say what it would have overwritten."""
    lines = []
    for change in selectors.inmate_changes_since(inmate_id=pk, read_version=read_version):
        what = "; ".join(change.changes) or _("nationalities")
        lines.append(
            _("Changed by %(who)s at %(when)s: %(what)s")
            % {
                "who": change.by,
                "when": formats.date_format(timezone.localtime(change.at), "SHORT_DATETIME_FORMAT"),
                "what": what,
            }
        )
    return lines


def inmate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = get_object_or_404(Inmate, pk=pk)
    heading = {"pk": inmate.pk, "label": str(inmate)}  # before the form changes the instance
    form = InmateEditForm(request.POST or None, instance=inmate)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        read_version = values.pop("version")
        try:
            services.inmate_update(
                inmate=inmate, actor=acting_user(request), expected_version=read_version, **values
            )
        except PreconditionFailedError as error:
            # Nothing was written: keep what the user typed and say whose change it would undo.
            form.add_error(None, error.message)
            for line in _changed_since(pk, read_version):
                form.add_error(None, line)
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The inmate's record was saved."))
            return redirect("inmates:detail", pk=pk)
    _shown(request, inmate.pk)
    return render(request, "inmates/inmate_form.html", {"form": form, "inmate": heading})


def _shown(request: HttpRequest, *inmate_ids: int) -> None:
    """A form page shows the person it is about (name, case number, the record it edits): a
    read of their file like the record page's, logged the same way."""
    access_log_list(
        request=request,
        subject_type="inmate",
        subject_ids=list(inmate_ids),
        criterion={},
        action="view",
    )


def _record_form(
    request: HttpRequest,
    form: BaseForm,
    *,
    inmate: Inmate,
    title: str,
    submit: str,
    status: int = 200,
) -> HttpResponse:
    _shown(request, inmate.pk)
    return render(
        request,
        "inmates/record_form.html",
        {
            "form": form,
            "inmate": {"pk": inmate.pk, "label": str(inmate)},
            "title": title,
            "submit": submit,
        },
        status=status,
    )


def _versioned(perform: Callable[..., Any]) -> Callable[[dict[str, Any]], Any]:
    """An edit form carries the version it was read at: the service takes it as expected_version."""

    def run(data: dict[str, Any]) -> Any:
        read_version = data.pop("version")
        return perform(expected_version=read_version, **data)

    return run


def _record_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    inmate: Inmate,
    perform: Callable[[dict[str, Any]], Any],
    saved: str,
    section: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """A judgment or an expulsion order is created and edited the same way: submit the form,
    then go back to its section of the inmate's record, or show the form again."""
    sent = form_submit.submit(request, form, perform)
    if sent.acted:
        messages.success(request, saved)
        return redirect(reverse("inmates:detail", args=[inmate.pk]) + section)
    return _record_form(
        request, form, inmate=inmate, title=title, submit=submit, status=sent.status
    )


def judgment_create(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = get_object_or_404(Inmate, pk=pk)
    return _record_page(
        request,
        JudgmentForm(request.POST or None),
        inmate=inmate,
        perform=lambda data: services.judgment_create(
            inmate=inmate, actor=acting_user(request), **data
        ),
        saved=_("The judgment was recorded."),
        section="#judgments",
        title=_("New judgment"),
        submit=_("Record judgment"),
    )


def judgment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    judgment = get_object_or_404(Judgment.objects.select_related("inmate"), pk=pk)
    return _record_page(
        request,
        JudgmentEditForm(request.POST or None, instance=judgment),
        inmate=judgment.inmate,
        perform=_versioned(
            lambda **values: services.judgment_update(
                judgment=judgment, actor=acting_user(request), **values
            )
        ),
        saved=_("The judgment was saved."),
        section="#judgments",
        title=_("Edit judgment"),
        submit=_("Save judgment"),
    )


def expulsion_create(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = get_object_or_404(Inmate, pk=pk)
    return _record_page(
        request,
        ExpulsionOrderForm(request.POST or None),
        inmate=inmate,
        perform=lambda data: services.expulsion_order_create(
            inmate=inmate, actor=acting_user(request), **data
        ),
        saved=_("The expulsion order was recorded."),
        section="#expulsion",
        title=_("New expulsion order"),
        submit=_("Record expulsion order"),
    )


def expulsion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(ExpulsionOrder.objects.select_related("inmate"), pk=pk)
    return _record_page(
        request,
        ExpulsionOrderEditForm(request.POST or None, instance=order),
        inmate=order.inmate,
        perform=_versioned(
            lambda **values: services.expulsion_order_update(
                expulsion_order=order, actor=acting_user(request), **values
            )
        ),
        saved=_("The expulsion order was saved."),
        section="#expulsion",
        title=_("Edit expulsion order"),
        submit=_("Save expulsion order"),
    )


def non_association_create(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = get_object_or_404(Inmate, pk=pk)
    form = NonAssociationForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.non_association_create(
                inmate=inmate,
                other=cast(Inmate, form.other),  # found by clean_other_case_number
                scope=form.cleaned_data["scope"],
                reason=form.cleaned_data["reason"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                actor=acting_user(request),
            )
        except ApplicationError as error:
            show_refusal(form, error, aliases={"other": "other_case_number"})
        else:
            messages.success(request, _("The two inmates will be kept apart."))
            if selectors.placement_breaches(inmate_ids=[inmate.pk]):
                messages.warning(
                    request,
                    _(
                        "These two are already placed together where they must be kept apart. "
                        "Move one of them: the breach shows on both records, the unit page and "
                        "the occupancy administrator's home page until then."
                    ),
                )
            return redirect(reverse("inmates:detail", args=[pk]) + "#non-associations")
    return _record_form(
        request,
        form,
        inmate=inmate,
        title=_("Keep apart from another inmate"),
        submit=_("Keep apart"),
    )


def non_association_end(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(selectors.non_association_queryset(), pk=pk)
    # Return to the record the user came from: either inmate of the pair.
    requested = request.POST.get("inmate") or request.GET.get("inmate") or ""
    inmate = rule.inmate_b if requested == str(rule.inmate_b_id) else rule.inmate_a
    form = NonAssociationEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.non_association_end(
                non_association=rule,
                ends_on=form.cleaned_data["ends_on"],
                actor=acting_user(request),
            )
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The non-association was ended."))
            return redirect(reverse("inmates:detail", args=[inmate.pk]) + "#non-associations")
    _shown(request, rule.inmate_a_id, rule.inmate_b_id)
    return render(
        request,
        "inmates/non_association_end.html",
        {"form": form, "rule": rule, "inmate": inmate},
    )
