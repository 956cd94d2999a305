from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from program.audit.models import AccessLogEntry

_DATE = {"invalid": _("Enter the date as YYYY-MM-DD, for example 2027-04-01.")}


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    subject_type = forms.CharField(
        label=_("Subject type"), required=False, max_length=50, help_text=_("For example inmate")
    )
    subject_id = forms.CharField(label=_("Subject id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AccessLogEntry.Action.choices],
    )
    start = forms.DateField(label=_("From"), required=False, error_messages=_DATE)
    end = forms.DateField(label=_("To"), required=False, error_messages=_DATE)

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "username": data.get("user", ""),
            "subject_type": data.get("subject_type", ""),
            "subject_id": data.get("subject_id", ""),
            "action": data.get("action", ""),
            "start": data.get("start"),
            "end": data.get("end"),
        }


class SubjectForm(forms.Form):
    subject_type = forms.CharField(label=_("Subject type"), max_length=50, initial="inmate")
    subject_id = forms.CharField(label=_("Subject id"), max_length=64)


class RecordForm(forms.Form):
    model = forms.CharField(
        label=_("Kind of record"), max_length=100, help_text=_("For example inmates.Inmate")
    )
    id = forms.CharField(label=_("Record id"), max_length=64)
