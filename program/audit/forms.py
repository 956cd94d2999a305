from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from program.audit.models import AccessLogEntry
from program.inmates.models import Inmate
from program.inmates.selectors import inmates_named

_DATE = {"invalid": _("Enter the date as YYYY-MM-DD, for example 2027-04-01.")}


class AccessLogFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Case number or name"),
        required=False,
        max_length=200,
        help_text=_(
            "The inmate's case number (for example KF-2026-30022) or part of the name: finds "
            "every entry about that person."
        ),
    )
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    subject_type = forms.CharField(
        label=_("Subject type"), required=False, max_length=50, help_text=_("For example inmate")
    )
    subject_id = forms.CharField(
        label=_("Subject id"),
        required=False,
        max_length=64,
        help_text=_(
            "The record's number in the system (for an inmate, the number in its page's address)."
        ),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AccessLogEntry.Action.choices],
    )
    start = forms.DateField(label=_("From"), required=False, error_messages=_DATE)
    end = forms.DateField(label=_("To"), required=False, error_messages=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date; swap them."))
        term = data.get("person", "")
        self.people: list[Inmate] = []
        if term:
            self.people = inmates_named(term=term)
            if not self.people:
                self.add_error(
                    "person",
                    _(
                        "No inmate has this case number or a name containing it. Check the "
                        "spelling."
                    ),
                )
        return data

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "subject_ids": [str(inmate.pk) for inmate in getattr(self, "people", [])],
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
