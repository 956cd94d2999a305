"""The notification page's API twin: one's own notifications, and marking one read."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.core.acting import acting_user
from program.core.api.own_records import OwnRecordsViewSet
from program.notifications import selectors, services
from program.notifications.api.serializers import NotificationSerializer
from program.notifications.models import Notification


@extend_schema_view(list=extend_schema(summary="My notifications, newest first"))
class NotificationViewSet(OwnRecordsViewSet[Notification]):
    """Each user sees only their own notifications; someone else's is "not found"."""

    model = Notification
    serializer_class = NotificationSerializer

    def own(self, user: User) -> QuerySet[Notification]:
        return selectors.notifications_for(user)

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
