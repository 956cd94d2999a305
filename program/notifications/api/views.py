"""The notification page's API twin: one's own notifications, and marking one read."""

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.core.acting import acting_user
from program.core.api.filters import StrictFilterBackend
from program.notifications import selectors, services
from program.notifications.api.serializers import NotificationSerializer
from program.notifications.models import Notification


@extend_schema_view(list=extend_schema(summary="My notifications, newest first"))
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """Each user sees only their own notifications; someone else's is "not found"."""

    serializer_class = NotificationSerializer
    lookup_value_regex = r"\d+"
    filter_backends = [StrictFilterBackend]  # no filters: the page parameters only

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema is made without a user
            return Notification.objects.none()
        return selectors.notifications_for(cast(User, self.request.user))

    @extend_schema(
        summary="Mark one of my notifications read",
        request=None,
        responses={
            200: NotificationSerializer,
            404: OpenApiResponse(description="No such notification of yours."),
        },
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = services.notification_mark_read(
            notification_id=int(pk), actor=acting_user(request)
        )
        return Response(NotificationSerializer(notification).data)
