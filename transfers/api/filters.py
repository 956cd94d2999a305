"""The transfer case list's parameters, documented in the schema and checked strictly
(program/core/api/filters.py): the same filters as the worklist page, through its selector."""

from typing import Any, cast

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet

from transfers import selectors
from transfers.models import TransferCase


class TransferCaseFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label="Case number or inmate name contains this, in any case; 123 or #123 is case 123"
    )
    state = django_filters.MultipleChoiceFilter(
        choices=TransferCase.State.choices,
        label="In one of these states (repeat the parameter); closed cases count too",
    )
    mine = django_filters.BooleanFilter(label="Only the cases I am the caseworker of")
    nationality = django_filters.CharFilter(label="ISO code of one of the inmate's nationalities")
    programme = django_filters.NumberFilter(
        label="Only this programme's cases (agreement id); every programme's when not given"
    )

    class Meta:
        model = TransferCase
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[TransferCase]) -> QuerySet[Any]:
        # One home for the rules and the order (last changed first): the worklist's selector.
        # Without a state, the list holds open cases only.
        data = self.form.cleaned_data
        filters = selectors.CaseFilters(
            mine=bool(data.get("mine")),
            states=tuple(data.get("state") or ()),
            nationality=data.get("nationality") or "",
            search=data.get("search") or "",
            agreement_id=int(data["programme"]) if data.get("programme") is not None else None,
        )
        return selectors.case_list(user=cast(User, self.request.user), filters=filters)
