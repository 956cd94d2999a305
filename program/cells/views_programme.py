"""Pages to record and amend a programme (agreement, facility, ramp-up) and to choose one's own.

Each page is a form the service validates (program/cells/programme_admin.py); a refusal is shown
on the form with the field it names. Who may post is the route policy's (program/core/policy.py).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from program.cells import programme_admin, programmes
from program.cells.models import AGREEMENT_TERMS, Agreement, Facility, RampUpCap
from program.core.acting import acting_user
from program.core.form_submit import submit

_DATE = forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d")


def _styled(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-checkbox")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-input")


class AgreementForm(forms.ModelForm[Agreement]):
    class Meta:
        model = Agreement
        fields = AGREEMENT_TERMS
        widgets = {"signed_on": _DATE, "in_force_on": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class FacilityForm(forms.ModelForm[Facility]):
    class Meta:
        model = Facility
        fields = ["name", "location", "country", "opens_on"]
        widgets = {"opens_on": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class RampUpForm(forms.ModelForm[RampUpCap]):
    class Meta:
        model = RampUpCap
        fields = ["effective_from", "places"]
        widgets = {"effective_from": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


def _values(form: forms.ModelForm[Any]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form._meta.fields or ()}


def _form_page(
    request: HttpRequest,
    form: forms.ModelForm[Any],
    *,
    title: str,
    back: str,
    save: Any,
) -> HttpResponse:
    sent = submit(request, form, lambda _data: save(_values(form)))
    if sent.acted:
        messages.success(request, _("Saved: %(row)s.") % {"row": sent.done})
        return redirect(back)
    return render(
        request,
        "cells/programme_form.html",
        {"form": form, "title": title, "back": back},
        status=sent.status,
    )


def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda _data: programme_admin.agreement_save(
            agreement=None, values=_values(form), actor=request.user
        ),
    )
    if sent.done is not None:
        messages.success(request, _("Saved: %(row)s.") % {"row": sent.done})
        return redirect("cells:agreement-detail", pk=sent.done.pk)
    return render(
        request,
        "cells/programme_form.html",
        {"form": form, "title": _("Record an agreement"), "back": reverse("cells:agreement-list")},
        status=sent.status,
    )


def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    return _form_page(
        request,
        AgreementForm(request.POST or None, instance=agreement),
        title=_("Amend %(name)s") % {"name": agreement.name},
        back=reverse("cells:agreement-detail", args=[agreement.pk]),
        save=lambda values: programme_admin.agreement_save(
            agreement=agreement, values=values, actor=request.user
        ),
    )


def facility_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    return _form_page(
        request,
        FacilityForm(request.POST or None),
        title=_("Record a facility of %(name)s") % {"name": agreement.name},
        back=reverse("cells:agreement-detail", args=[agreement.pk]),
        save=lambda values: programme_admin.facility_save(
            facility=None, agreement=agreement, values=values, actor=request.user
        ),
    )


def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("agreement"), pk=pk)
    return _form_page(
        request,
        FacilityForm(request.POST or None, instance=facility),
        title=_("Amend %(name)s") % {"name": facility.name},
        back=reverse("cells:agreement-detail", args=[facility.agreement_id]),
        save=lambda values: programme_admin.facility_save(
            facility=facility, agreement=facility.agreement, values=values, actor=request.user
        ),
    )


def ramp_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    return _form_page(
        request,
        RampUpForm(request.POST or None),
        title=_("Add a ramp-up step to %(name)s") % {"name": agreement.name},
        back=reverse("cells:agreement-detail", args=[agreement.pk]),
        save=lambda values: programme_admin.ramp_up_save(
            cap=None, agreement=agreement, values=values, actor=request.user
        ),
    )


def ramp_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cap = get_object_or_404(RampUpCap.objects.select_related("agreement"), pk=pk)
    return _form_page(
        request,
        RampUpForm(request.POST or None, instance=cap),
        title=_("Amend the ramp-up step of %(date)s") % {"date": cap.effective_from.isoformat()},
        back=reverse("cells:agreement-detail", args=[cap.agreement_id]),
        save=lambda values: programme_admin.ramp_up_save(
            cap=cap, agreement=cap.agreement, values=values, actor=request.user
        ),
    )


class ChooseForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("My programme"),
        queryset=Agreement.objects.none(),
        # Required: a choice is changed, never cleared; with several programmes and none
        # chosen, the pages ask for one (docs/programmes.md).
        empty_label=gettext_lazy("Choose a programme"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes.programme_list()  # type: ignore[attr-defined]


@require_POST
def programme_choose(request: HttpRequest) -> HttpResponse:
    """Save the programme the user works in; back to the page they came from."""
    form = ChooseForm(request.POST)
    if form.is_valid():
        programmes.user_programme_set(
            user=acting_user(request), programme=form.cleaned_data["programme"]
        )
        messages.success(request, _("Your programme is saved."))
    else:
        messages.error(request, _("Choose a programme from the list."))
    back = request.POST.get("next", "")
    # Only a path on this site: anything else (another host, a word that is no path) goes to
    # the programme list rather than to redirect()'s view-name lookup.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("cells:agreement-list")
    return HttpResponseRedirect(back)
