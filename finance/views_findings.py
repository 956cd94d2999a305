"""The tranche page's form for making an inspection finding a release condition
(docs/inspections.md). Finance staff choose among the open findings of the agreement's
facilities by title; they never see a finding's text or the person it may concern."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import services
from finance.models import Tranche
from finance.services_findings import condition_link_finding
from program.core.acting import acting_user
from program.inspections.selectors import findings_for_agreement


class FindingConditionForm(forms.Form):
    finding = forms.TypedChoiceField(
        label=gettext_lazy("Inspection finding"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=gettext_lazy(
            "Findings not yet closed from inspections of this agreement's facilities."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("What the evidence must show"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": "3"}),
    )

    def __init__(self, *args: Any, tranche: Tranche, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "finding")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["finding"]
        field.choices = [
            (
                finding.pk,
                f"{finding.title} ({finding.inspection.body.short_name}, "
                f"{formats.date_format(finding.inspection.starts_on, 'SHORT_DATE_FORMAT')})",
            )
            for finding in findings_for_agreement(tranche.agreement_id)
        ]


def finding_form(
    request: HttpRequest, tranche: Tranche, may_post: bool, bound: forms.Form | None
) -> FindingConditionForm | None:
    """The form on the tranche page, for finance officers while conditions may change."""
    if tranche.status not in services.CONDITIONS_OPEN or not may_post:
        return None
    if isinstance(bound, FindingConditionForm):
        return bound
    return FindingConditionForm(tranche=tranche)


def condition_finding(request: HttpRequest, pk: int) -> HttpResponse:
    from finance.views import _render_tranche, _submit_condition_form

    tranche = get_object_or_404(Tranche.objects.only("pk", "agreement_id"), pk=pk)
    if request.method != "POST":
        return _render_tranche(request, tranche.pk)

    def link(data: dict[str, Any]) -> str:
        condition = condition_link_finding(
            tranche=tranche.pk,
            finding=data["finding"],
            description=data["description"],
            actor=acting_user(request),
        )
        return _("The tranche now waits for the finding: %(kind)s.") % {
            "kind": condition.get_kind_display()
        }

    form = FindingConditionForm(request.POST, tranche=tranche)
    return _submit_condition_form(request, tranche.pk, form, link)
