"""Forms for the handover pages: they parse input; the services decide. The alert fields come
from the one table of alert kinds (models.ALERTS)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from program.handover.models import ALERTS, Handover, Level

TEXTAREA = {"class": "form-input", "rows": 2}


class _Versioned(forms.Form):
    # The version read: a change made since then is refused rather than overwritten.
    version = forms.IntegerField(min_value=1, max_value=2_000_000_000, widget=forms.HiddenInput)


class AlertsForm(_Versioned):
    """The caseworker's part: each alert's level (or yes/no) and what to do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ALERTS:
            if kind.graded:
                self.fields[kind.field] = forms.ChoiceField(
                    label=kind.label,
                    choices=Level.choices,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[kind.field] = forms.BooleanField(
                    label=kind.label, required=False, widget=forms.CheckboxInput
                )
            if kind.field == "interpreter":
                self.fields["interpreter_language"] = forms.CharField(
                    label=_("Language to interpret"),
                    required=False,
                    max_length=100,
                    widget=forms.TextInput(attrs={"class": "form-input"}),
                )
            self.fields[kind.todo_field] = forms.CharField(
                label=_("%(alert)s: what to do") % {"alert": kind.label},
                required=False,
                max_length=2000,
                help_text=_("Read by everyone who handles the person, the host facility too."),
                widget=forms.Textarea(attrs=TEXTAREA),
            )

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def for_handover(cls, handover: Handover, data: Any = None) -> "AlertsForm":
        initial = {name: getattr(handover, name) for name in cls.field_names()}
        return cls(data, initial={**initial, "version": handover.version})

    @staticmethod
    def field_names() -> list[str]:
        names = []
        for kind in ALERTS:
            names.append(kind.field)
            if kind.field == "interpreter":
                names.append("interpreter_language")
            names.append(kind.todo_field)
        return names


class HealthForm(_Versioned):
    """Health staff's part: the health details, read by health staff only."""

    health_details = forms.CharField(
        label=_("Health details"),
        required=False,
        max_length=4000,
        help_text=_(
            "Only health staff read this. Save it even when there is nothing to add: that is "
            "your part of the handover."
        ),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 5}),
    )


class StepForm(_Versioned):
    """A step without input of its own (complete, acknowledge on arrival)."""


class EscortForm(_Versioned):
    escort_officer = forms.CharField(
        label=_("Escort officer's name"),
        max_length=200,
        help_text=_("The officer who read the handover and takes it on the transport."),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is corrected"),
        max_length=1000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
