"""POST actions that move one versioned row, written once for every viewset that has them.

A move names the row in the URL and the version the client read in If-Match (428 without it, 412
when it is not an ETag this API gave out); the body is checked by the move's input serializer; the
service does the move under its own compare-and-set; the answer is the row as it is now, with
its new ETag. A row the user may not see is answered 404, as if it did not exist.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from program.core.api.inputs import checked
from program.core.api.preconditions import if_match, version_number
from program.core.errors import NotFoundError

Row = TypeVar("Row", bound=Model)

# What a move does once its input is valid: (row id, validated input, version read) -> the row.
Perform = Callable[[int, dict[str, Any], int], Row]


class VersionedMoves(Generic[Row]):
    """Mixed into a GenericViewSet whose rows carry an integer `version`.

    The viewset names the row in precondition messages (`move_thing`), says how a row it cannot
    find is refused (`missing`) and how a row is shown (`answer`).
    """

    move_thing: str
    kwargs: dict[str, Any]

    if TYPE_CHECKING:  # the viewset's own (a definition here would shadow GenericViewSet's)

        def get_queryset(self) -> QuerySet[Row]: ...

    def missing(self, pk: int) -> str:
        raise NotImplementedError

    def answer(self, row: Row, code: int = status.HTTP_200_OK) -> Response:
        raise NotImplementedError

    def move_target(self, request: Request) -> tuple[int, int]:
        """The row the URL names, if the user may see it, and the version read (If-Match)."""
        pk = int(self.kwargs["pk"])
        if not self.get_queryset().filter(pk=pk).exists():
            raise NotFoundError(self.missing(pk))
        return pk, if_match(request, parse=version_number, thing=self.move_thing)

    def move(
        self, request: Request, given: type[serializers.Serializer[Any]], perform: Perform[Row]
    ) -> Response:
        row_id, version = self.move_target(request)
        return self.answer(perform(row_id, checked(request, given), version))
