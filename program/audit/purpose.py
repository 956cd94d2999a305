"""Why a person's record is opened: chosen once per record per session, or given by the API.

A caseworker opening the record of an inmate whose open transfer case is theirs is doing case
work; everyone else says why before the record is shown.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from program.inmates.models import Inmate

SESSION_KEY = "audit_purposes"
# What a subject type names, so that an unknown id is the view's 404, not a purpose form.
SUBJECT_MODELS = {"inmate": Inmate}
API_DEFAULT = "api"
CASE_WORK = "case work"


PURPOSE_CHOICES = [
    ("case work", _("Case work")),
    ("occupancy", _("Occupancy")),
    ("audit", _("Audit")),
    ("other", _("Other (say what)")),
]


class PurposeForm(forms.Form):
    """Why the record is opened; "other" needs its words."""

    subject_type = forms.ChoiceField(choices=[(key, key) for key in SUBJECT_MODELS])
    subject_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    next = forms.CharField(max_length=500, widget=forms.HiddenInput)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PURPOSE_CHOICES)
    other = forms.CharField(
        label=_("If other: what for"),
        required=False,
        max_length=200,
        help_text=_("For example: checking a complaint."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("purpose") == "other" and not (cleaned.get("other") or "").strip():
            self.add_error("other", _("Say what the record is opened for."))
        return cleaned

    def chosen(self) -> str:
        purpose = str(self.cleaned_data["purpose"])
        if purpose == "other":
            return f"other: {self.cleaned_data['other'].strip()}"
        return purpose


def _key(subject_type: str, subject_id: str | int) -> str:
    return f"{subject_type}:{subject_id}"


def session_purpose(request: HttpRequest, subject_type: str, subject_id: str | int) -> str:
    """The purpose chosen for this record in this session, or ""."""
    chosen = request.session.get(SESSION_KEY, {}) if hasattr(request, "session") else {}
    return str(chosen.get(_key(subject_type, subject_id), ""))


def remember_purpose(
    request: HttpRequest, subject_type: str, subject_id: str | int, purpose: str
) -> None:
    chosen = dict(request.session.get(SESSION_KEY, {}))
    chosen[_key(subject_type, subject_id)] = purpose
    request.session[SESSION_KEY] = chosen


def resolve_purpose(request: HttpRequest, subject_type: str, subject_id: str | int) -> str:
    """The session's choice for this subject; for the API, ?purpose= or X-Purpose or "api"."""
    chosen = session_purpose(request, subject_type, subject_id) if subject_id != "" else ""
    if chosen:
        return chosen
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name.startswith("api:"):
        query = getattr(request, "query_params", request.GET)
        given = (query.get("purpose") or request.headers.get("X-Purpose") or "").strip()
        return given or API_DEFAULT
    return ""


def has_open_case(user: Any, inmate_id: int) -> bool:
    """Whether this user is the caseworker of an open transfer case of this inmate.

    The check belongs to the transfers app and is named in settings (AUDIT_OPEN_CASE_CHECK), so
    program.* imports no app above it (docs/architecture.md).
    """
    check = settings.AUDIT_OPEN_CASE_CHECK
    return bool(check and import_string(check)(user, inmate_id))


def purpose_required(subject_type: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Page decorator: before a person's record is shown, know why (once per session).

    The view's `pk` names the subject. The case's own caseworker is doing case work; anyone
    else gets the purpose form, which posts to audit:purpose and comes back here.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                not session_purpose(request, subject_type, pk)
                and not SUBJECT_MODELS[subject_type].objects.filter(pk=pk).exists()
            ):
                return view(request, pk, *args, **kwargs)  # the view says 404
            asked = ask_purpose(request, subject_type, pk)
            if asked is not None:
                return asked
            return view(request, pk, *args, **kwargs)

        return wrapped

    return decorate


def ask_purpose(request: HttpRequest, subject_type: str, subject_id: int) -> HttpResponse | None:
    """The purpose form, when this user has not said yet why they open this person's record.

    For pages that show a person's record under another address (a transfer case shows its
    inmate's): the subject is the person. None when the purpose is known: chosen earlier in
    this session, or case work by the caseworker of the person's open case.
    """
    if session_purpose(request, subject_type, subject_id):
        return None
    if has_open_case(request.user, subject_id):
        remember_purpose(request, subject_type, subject_id, CASE_WORK)
        return None
    form = PurposeForm(
        initial={
            "subject_type": subject_type,
            "subject_id": subject_id,
            "next": request.get_full_path(),
        }
    )
    return render(request, "audit/purpose.html", {"form": form})
