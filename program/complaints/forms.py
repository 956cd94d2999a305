"""The complaint forms. Each parses and checks its input; the services hold the rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.cells.models import Placement
from program.complaints.models import Authority, Complaint, ComplaintDocument, Kind
from program.core.bilingual import pick
from program.core.capabilities import users_with
from program.core.forms import DateField
from program.host.selectors import posted_facility
from program.inmates.models import Inmate

FILE_LABEL = _("File (PDF, PNG or JPEG, at most 10 MB)")
TEXT = forms.Textarea(attrs={"rows": 4})


def _handlers() -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(pk__in=users_with("complaint.handle").values("pk"))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class _UserChoice(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class _AuthorityChoice(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return pick(da=obj.name_da, en=obj.name_en)


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("answered", _("Answered")),
        ],
    )
    authority = _AuthorityChoice(
        label=_("Authority"),
        required=False,
        queryset=Authority.objects.order_by("name_en"),
        empty_label=_("Any authority"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices]
    )

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "authority": data.get("authority"),
            "kind": data.get("kind") or "",
        }


class _RegistrationFields(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Complaint.Channel.choices)
    sealed = forms.BooleanField(
        label=_("Sealed (forwarded unopened)"),
        required=False,
        help_text=_("A sealed letter keeps no subject and no copy of the letter."),
    )
    language = forms.CharField(label=_("Language"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=2000, required=False, widget=TEXT)
    authority = _AuthorityChoice(
        label=_("Handled by"),
        queryset=Authority.objects.order_by("name_en"),
        required=False,
        help_text=_("Left empty for a sealed letter to the Ombudsman: the Ombudsman."),
    )
    handler = _UserChoice(
        label=_("Caseworker or governor handling it"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Empty: the caseworker registering it, or the governors."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["handler"]).queryset = _handlers()


class ComplaintRegisterForm(_RegistrationFields):
    inmate = forms.CharField(
        label=_("Case number of the inmate"),
        max_length=30,
        help_text=_("As on the person's record, for example 2026-0001."),
    )
    received_on = DateField(label=_("Received on"))
    letter = forms.FileField(label=_("The inmate's letter"), required=False, help_text=FILE_LABEL)

    field_order = ["inmate", "received_on", "channel", "sealed", "language", "kind"]

    def clean_inmate(self) -> Inmate:
        number = self.cleaned_data["inmate"].strip()
        inmate = Inmate.objects.filter(case_number__iexact=number).first()
        if inmate is None:
            raise forms.ValidationError(_("No inmate has this case number."))
        return inmate


class ComplaintEditForm(_RegistrationFields):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answered_on = DateField(label=_("Answered on"), initial=timezone.localdate)
    answer = forms.CharField(label=_("Answer"), max_length=4000, required=False, widget=TEXT)
    document = forms.FileField(label=_("The answer letter"), required=False, help_text=FILE_LABEL)


class ComplaintDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ComplaintDocument.Kind.choices)
    file = forms.FileField(label=FILE_LABEL)


class _InmateAtFacility(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.case_number})"


class ReceiptForm(forms.Form):
    """What the host facility's staff record: who handed in a complaint, when, how, sealed or
    not. Nothing about what it says."""

    inmate = _InmateAtFacility(label=_("Inmate"), queryset=Inmate.objects.none())
    received_on = DateField(label=_("Received on"), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=Complaint.Channel.choices)
    sealed = forms.BooleanField(label=_("Sealed letter"), required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility = posted_facility(user)
        inmate = cast("forms.ModelChoiceField[Any]", self.fields["inmate"])
        if facility is not None:
            # The people who held a place at the facility in the last 60 days (a complaint may
            # be recorded a little after it was handed in).
            since = timezone.localdate() - timedelta(days=60)
            inmate.queryset = (
                Inmate.objects.filter(
                    placements__kind=Placement.Kind.PLACEMENT,
                    placements__place__cell__unit__facility=facility,
                    placements__period__overlap=DateRange(since, None),
                )
                .distinct()
                .only("pk", "name", "case_number")
                .order_by("name", "pk")
            )
