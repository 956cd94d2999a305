"""Logging the people a list returns: the API lists' mixin and the helper the pages call.

A list of inmates, cases, placements or non-associations is a read of every person on it, as
much as opening each record is. Each list request writes one access-log row naming them all
(program/audit/services.access_log_list), with the filter used.
"""

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, cast

from django.http import HttpRequest
from rest_framework import mixins
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from program.audit.services import access_log_list

PERSON = "inmate"


def people_on(rows: Iterable[Any], paths: Sequence[str]) -> list[Any]:
    """The person ids on the rows: each path an attribute chain ("pk", "case.inmate_id")."""
    ids: list[Any] = []
    for row in rows:
        for path in paths:
            value = row
            for part in path.split("."):
                value = getattr(value, part, None)
                if value is None:
                    break
            if value is not None:
                ids.append(value)
    return ids


def log_listed(
    request: HttpRequest,
    rows: Iterable[Any],
    paths: Sequence[str],
    *,
    criterion: dict[str, Any] | None = None,
    action: str = "",
) -> None:
    """For pages: one access-log row naming the people on the rows shown (the action is a
    search or a listing, from the criterion, unless given: an export)."""
    access_log_list(
        request=request,
        subject_type=PERSON,
        subject_ids=people_on(rows, paths),
        criterion=criterion if criterion is not None else request.GET.dict(),
        action=action,
    )


class AccessLoggedListMixin(mixins.ListModelMixin):
    """A list endpoint that logs the people on the page it returns, in one row per request.

    `listed_people` names, for each row, the attribute paths holding a person's (an inmate's)
    id. The page is read once: the rows logged are the rows serialised.
    """

    listed_people: ClassVar[Sequence[str]] = ("pk",)

    def people_listed(self, rows: list[Any]) -> list[Any]:
        return people_on(rows, self.listed_people)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view = cast("GenericAPIView[Any]", self)
        queryset = view.filter_queryset(view.get_queryset())
        page = view.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        access_log_list(
            request=request,
            subject_type=PERSON,
            subject_ids=self.people_listed(rows),
            criterion=request.query_params.dict(),
        )
        data = view.get_serializer(rows, many=True).data
        return view.get_paginated_response(data) if page is not None else Response(data)


class AccessLoggedDetailMixin(mixins.RetrieveModelMixin):
    """A detail endpoint whose row names people (a placement, a pair kept apart): reading it is
    a read of each of them, logged in one row like a list of one."""

    listed_people: ClassVar[Sequence[str]] = ("pk",)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view = cast("GenericAPIView[Any]", self)
        row = view.get_object()
        access_log_list(
            request=request,
            subject_type=PERSON,
            subject_ids=people_on([row], self.listed_people),
            criterion={},
            action="view",
        )
        return Response(view.get_serializer(row).data)
