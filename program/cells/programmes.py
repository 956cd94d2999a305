"""Which programme (agreement) a user works in, and which one a page or a new case is about.

One install can hold several programmes. Each user may choose theirs (core.UserPreferences);
with no choice made and only one programme recorded, that one is theirs. New cases and transports
take the user's programme unless the form names another; lists and dashboards show the user's
programme unless the page is asked for another (`?programme=<id>`, or `all` where a list allows).
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells.models import Agreement
from program.core.errors import ApplicationError
from program.core.models import UserPreferences

ALL = "all"


def programme_list() -> QuerySet[Agreement]:
    return Agreement.objects.order_by("signed_on", "id")


def user_programme(user: AbstractBaseUser | AnonymousUser) -> Agreement | None:
    """The programme the user chose, else the only one recorded, else None (several and no
    choice: the pages ask). One query, remembered on the user object for the request."""
    if hasattr(user, "_programme_memo"):
        return cast(Agreement | None, user._programme_memo)
    chosen = UserPreferences.objects.filter(user_id=user.pk or 0, programme=OuterRef("pk"))
    rows = list(
        programme_list().annotate(mine=Exists(chosen)).order_by("-mine", "signed_on", "id")[:2]
    )
    if rows and rows[0].mine:
        programme: Agreement | None = rows[0]
    else:
        programme = rows[0] if len(rows) == 1 else None
    user._programme_memo = programme  # type: ignore[union-attr]
    return programme


def programme_for_new_work(*, user: AbstractBaseUser, chosen: Agreement | None) -> Agreement:
    """The programme a new case or transport belongs to: the one chosen, else the user's.

    Refused with a message naming the fix when there is none to take."""
    if chosen is not None:
        return chosen
    programme = user_programme(user)
    if programme is not None:
        return programme
    if not Agreement.objects.exists():
        raise ApplicationError(
            _(
                "No programme has been recorded yet: an occupancy administrator records the "
                "agreement first (Programmes)."
            ),
            details={"agreement": ["none recorded"]},
        )
    raise ApplicationError(
        _("Choose the programme: there are several and you have not chosen yours."),
        details={"agreement": ["required"]},
    )


def filter_choices() -> list[tuple[str, str]]:
    """The choices of a list's programme filter: every programme, then each one."""
    return [(ALL, str(_("All programmes")))] + [
        (str(pk), name) for pk, name in programme_list().values_list("pk", "name")
    ]


def filter_value(raw: str | None, user: AbstractBaseUser | AnonymousUser) -> int | None:
    """The programme id a list filter stands for: the one asked, `all` (None), or when nothing
    is asked the user's programme (None when they have none)."""
    if raw == ALL:
        return None
    if raw and raw.isdigit():
        return int(raw)
    programme = user_programme(user)
    return programme.pk if programme is not None else None


class ProgrammeFilterForm(forms.Form):
    """The programme filter above a list or dashboard (GET): the user's programme preselected."""

    programme = forms.ChoiceField(
        label=gettext_lazy("Programme"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, request: HttpRequest, *, allow_all: bool = True) -> None:
        super().__init__(request.GET or None)
        choices = filter_choices()
        self.fields["programme"].choices = choices if allow_all else choices[1:]  # type: ignore[attr-defined]
        raw = request.GET.get("programme")
        self.programme_id = filter_value(raw, request.user)
        if self.programme_id is None and not allow_all:
            first = programme_list().values_list("pk", flat=True).first()
            self.programme_id = first
        self.fields["programme"].initial = str(self.programme_id) if self.programme_id else ALL
        if self.is_bound and not self.is_valid():
            self.programme_id = None if allow_all else self.programme_id

    @property
    def chosen(self) -> Agreement | None:
        if self.programme_id is None:
            return None
        return Agreement.objects.filter(pk=self.programme_id).first()


@transaction.atomic
def user_programme_set(*, user: AbstractBaseUser, programme: Agreement | None) -> UserPreferences:
    """Save the programme the user works in (None: no choice)."""
    preferences, _created = UserPreferences.objects.update_or_create(
        user_id=user.pk, defaults={"programme": programme}
    )
    user._programme_memo = programme  # type: ignore[attr-defined]
    return preferences
