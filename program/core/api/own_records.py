"""An API list of the signed-in user's own records (notifications, API tokens).

Each user sees only their own rows, so someone else's is "not found" (404), never "forbidden":
the list and every detail action start from the subclass's `own(user)`. The schema is made
without a user, so it gets an empty queryset of the model.
"""

from typing import Generic, TypeVar, cast

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from rest_framework import mixins, viewsets

from program.core.api.filters import StrictFilterBackend

Row = TypeVar("Row", bound=Model)


class OwnRecordsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Row], Generic[Row]):
    model: type[Row]
    lookup_value_regex = r"\d+"
    filter_backends = [StrictFilterBackend]  # no filters: the page parameters only

    def own(self, user: User) -> QuerySet[Row]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Row]:
        if getattr(self, "swagger_fake_view", False):  # the schema is made without a user
            return self.model._default_manager.none()
        return self.own(cast(User, self.request.user))
