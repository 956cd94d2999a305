"""Pages to record and amend an agreement's pricing terms (the finance officer's)."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from finance import terms_admin
from finance.models import PricingTerms
from program.cells.models import Agreement
from program.cells.views_programme import _DATE, _form_page, _styled


class PricingTermsForm(forms.ModelForm[PricingTerms]):
    class Meta:
        model = PricingTerms
        fields = terms_admin.FIELDS
        widgets = {"rent_starts_on": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_currency(self) -> str:
        # "eur" is meant as EUR; the constraint wants the ISO code in capitals.
        return str(self.cleaned_data.get("currency") or "").strip().upper()


def terms_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    return _form_page(
        request,
        PricingTermsForm(request.POST or None),
        title=_("Record the pricing terms of %(name)s") % {"name": agreement.name},
        back=reverse("finance:terms"),
        save=lambda values: terms_admin.pricing_terms_save(
            terms=None, agreement=agreement, values=values, actor=request.user
        ),
    )


def terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    terms = get_object_or_404(PricingTerms.objects.select_related("agreement"), pk=pk)
    return _form_page(
        request,
        PricingTermsForm(request.POST or None, instance=terms),
        title=_("Amend the pricing terms of %(name)s") % {"name": terms.agreement.name},
        back=reverse("finance:terms"),
        save=lambda values: terms_admin.pricing_terms_save(
            terms=terms, agreement=terms.agreement, values=values, actor=request.user
        ),
    )
